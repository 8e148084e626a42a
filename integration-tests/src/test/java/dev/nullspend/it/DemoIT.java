package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.demo.DemoApp;
import dev.nullspend.it.fake.DeterministicBytes;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged demo, run with {@code java -jar} as a user would. */
class DemoIT {

    @TempDir
    Path workDir;

    @Test
    void demoRunsOnTheJdkAloneWithoutTheAgent() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).agent(false).jar(TestEnvironment.demoJar()).run();

        assertDemoOutput(run);
        assertThat(run.stderrLines()).as(run.describe()).isEmpty();
        assertThat(run.stdoutLines()).as(run.describe()).last().asString().contains("Nothing was costed");
    }

    @Test
    void underTheAgentEachChatCompletionIsOneExactLineAndASummaryIsPrinted() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).jar(TestEnvironment.demoJar()).run();

        assertDemoOutput(run);
        assertExactOpenAiEvents(run, DemoApp.CALLS.stream().map(c -> new ExpectedCall(c.model(), c.usage())).toList());
        assertThat(run.stderrWithoutVmWarnings()).as(run.describe()).allMatch(line -> line.startsWith(ForkedJvm.AGENT_LOG_PREFIX));
        assertThat(run.agentLines()).as(run.describe()).anyMatch(line -> line.contains("NullSpend summary"));
    }

    private static void assertDemoOutput(ForkedJvm.Result run) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe())
                .filteredOn(line -> line.startsWith("   reply: "))
                .containsOnly("   reply: Hello from the fake provider.")
                .hasSize(DemoApp.CALLS.size());
        assertThat(run.stdoutLines()).as(run.describe())
                .contains("   answered by o3-2025-04-16, usage: 1000 prompt tokens (0 cached), 500 completion tokens (200 reasoning)")
                .contains("   received " + DemoApp.DOWNLOAD_BYTES + " bytes, sha256 "
                        + Sha256.hex(DeterministicBytes.of(DemoApp.DOWNLOAD_BYTES)));
    }
}
