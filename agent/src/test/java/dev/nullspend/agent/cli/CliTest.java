package dev.nullspend.agent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void noCommandPrintsHowToUseTheAgentAndItsCommands() {
        assertThat(run()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("NullSpend Java agent. Add it to a program with:\n"
                        + "  java -javaagent:nullspend-agent.jar [-Dnullspend.budget.limit-usd=5] -jar your-app.jar\n")
                .contains("  java -jar nullspend-agent.jar report [--ledger FILE]");
        assertThat(err.size()).isZero();
    }

    @Test
    void anUnknownCommandExitsTwoWithOneLine() {
        assertThat(run("reprot", "--format", "json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("nullspend-agent.jar: unknown command 'reprot' (commands: report; no command for help)\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void reportIsDispatched() {
        assertThat(run("report", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("report: --format 'xml' is not text, json or csv\n");
    }

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
