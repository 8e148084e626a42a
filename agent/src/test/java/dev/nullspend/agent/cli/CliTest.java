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
                .contains("  java -jar nullspend-agent.jar report [--ledger FILE]")
                .contains("  java -jar nullspend-agent.jar list\n")
                .contains("  java -jar nullspend-agent.jar attach PID [key=value;…]\n");
        assertThat(err.size()).isZero();
    }

    @Test
    void anUnknownCommandExitsTwoWithOneLine() {
        assertThat(run("reprot", "--format", "json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("nullspend-agent.jar: unknown command 'reprot' (commands: report, list, attach; no command for help)\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void reportIsDispatched() {
        assertThat(run("report", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("report: --format 'xml' is not text, json or csv\n");
    }

    @Test
    void listTakesNoArgument() {
        assertThat(run("list", "--all")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("list: unexpected argument '--all' (list takes none)\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void attachWithoutPidExitsTwoWithOneLine() {
        assertThat(run("attach")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("attach: missing PID (usage: attach PID [key=value;…] (list shows the JVMs))\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void attachToAProcessThatIsNoListedJvmExitsOneWithOneLine() {
        // Above any Linux pid_max (2^22): never a process.
        assertThat(run("attach", "999999999", "ledger=off")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("attach: no JVM with PID 999999999 that this user can attach to (list shows them)\n");
        assertThat(out.size()).isZero();
    }

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
