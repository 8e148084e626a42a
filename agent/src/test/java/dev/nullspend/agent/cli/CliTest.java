package dev.nullspend.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void noCommandPrintsHowToUseTheAgentAndItsCommands() {
        assertThat(run()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("NullSpend Java agent. Add it to a program with:\n"
                        + "  java -javaagent:nullspend-agent.jar [-Dnullspend.budget.limit-usd=5] -jar your-app.jar\n")
                .contains("  java -jar nullspend-agent.jar report [--ledger FILE]")
                .contains("  java -jar nullspend-agent.jar list\n")
                .contains("  java -jar nullspend-agent.jar attach PID [key=value;…]\n");
        assertThat(err.size()).isZero();
    }

    /** A command the CLI cannot run: its exit code, and one line on stderr that says why; nothing on stdout. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aCommandItCannotRunExitsWithOneLine(List<String> args, int exit, String line) {
        assertThat(run(args.toArray(String[]::new))).isEqualTo(exit);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(line + "\n");
        assertThat(out.size()).isZero();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments(List.of("reprot", "--format", "json"), 2,
                        "nullspend-agent.jar: unknown command 'reprot' (commands: report, list, attach; no command for help)"),
                // dispatched to the report command, which names itself
                arguments(List.of("report", "--format", "xml"), 2, "report: --format 'xml' is not text, json or csv"),
                arguments(List.of("list", "--all"), 2, "list: unexpected argument '--all' (list takes none)"),
                arguments(List.of("attach"), 2, "attach: missing PID (usage: attach PID [key=value;…] (list shows the JVMs))"),
                // above any Linux pid_max (2^22): never a process
                arguments(List.of("attach", "999999999", "ledger=off"), 1,
                        "attach: no JVM with PID 999999999 that this user can attach to (list shows them)"));
    }

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
