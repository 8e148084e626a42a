package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.SlowStartApp;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A slow agent start never switches the guard off. The ledger's spend record is a FIFO: the agent's
 * core blocks opening it (to restore the $0 budget's spend) until the program writes to it, which the program
 * does only after its first LLM call. That first call comes while the agent is not ready and waits
 * {@code nullspend.startup.wait-ms}; then {@code nullspend.fail-mode} decides, out loud. Every
 * later call, made once the agent is active, is checked: the $0 budget denies each one before it
 * is sent, so the java.net.http client is instrumented even though it was first used before the
 * agent was ready.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SlowStartIT extends FakeProviderTest {

    /** One usage per test: its path is its own on the shared server, whose request counts are per path. */
    private static final FakeUsage USAGE_OPEN = new FakeUsage(22, 0, 3, 0);
    private static final FakeUsage USAGE_CLOSED = new FakeUsage(23, 0, 4, 0);
    private static final int LATER_CALLS = 3;
    private static final String LATER_DENIED = "later=BudgetExceededException budget_exceeded";

    SlowStartIT(Fakes fakes) {
        super(fakes);
    }

    @Test
    void failOpenLetsTheEarlyCallThroughOutLoudAndChecksEveryLaterCall() throws Exception {
        assertTheFailModeDecidesTheEarlyCall("open", USAGE_OPEN, "first=status 200", 1,
                "lets it through neither costed nor checked", "went through unchecked (nullspend.fail-mode=open)");
    }

    @Test
    void failClosedDeniesTheEarlyCallBeforeItIsSentAndChecksEveryLaterCall() throws Exception {
        assertTheFailModeDecidesTheEarlyCall("closed", USAGE_CLOSED, "first=NullSpendException budget_unavailable", 0,
                "denies it with budget_unavailable", "was denied with budget_unavailable (nullspend.fail-mode=closed)");
    }

    /**
     * The early call got {@code first}, every later call the $0 budget's denial; the provider received
     * {@code sent} calls (only the early one, if any); the early call was said once with the fail mode's
     * {@code decision} and counted in the summary with its {@code outcome}.
     */
    private void assertTheFailModeDecidesTheEarlyCall(String failMode, FakeUsage usage, String first, int sent,
                                                      String decision, String outcome) throws Exception {
        String url = server.chatCompletionsUrl(Scenario.OK, usage);

        ForkedJvm.Result run = slowStart(failMode, url);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(expected(first));
        assertThat(server.requestCount(URI.create(url).getPath())).as("calls that reached the provider\n%s", run.describe())
                .isEqualTo(sent);
        assertThat(run.agentLines()).as(run.describe())
                .filteredOn(line -> line.contains("came before the agent was ready"))
                .containsExactly(
                        "[nullspend] WARN an LLM call (openai gpt-4o-mini) came before the agent was ready ("
                                + waited(run) + " after its start); nullspend.fail-mode=" + failMode + " " + decision
                                + ", as every call until the agent is ready (counted in the summary)",
                        "[nullspend] WARN NullSpend summary: 1 LLM call came before the agent was ready and " + outcome);
        assertNoClassLoadedUninstrumented(run);
    }

    private ForkedJvm.Result slowStart(String failMode, String url) throws IOException, InterruptedException {
        // The restore of the budget's spend hangs on a read, as on a hung file system: the ledger's
        // spend record is a FIFO, which blocks the agent's open until the program opens it to write.
        Path ledger = Files.createFile(workDir.resolve("slow-ledger.jsonl"));
        Path fifo = mkfifo(workDir.resolve("slow-ledger.jsonl.spend"));
        return ForkedJvm.in(workDir).mainClass(SlowStartApp.class)
                .systemProperty("nullspend.ledger", ledger.toString())
                .systemProperty("nullspend.budget.limit-usd", "0")
                .systemProperty("nullspend.fail-mode", failMode)
                .systemProperty("nullspend.startup.wait-ms", "3000")
                .args(url, fifo.toString(), Integer.toString(LATER_CALLS))
                .timeout(Duration.ofSeconds(60))
                .run();
    }

    private static List<String> expected(String first) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(first);
        lines.addAll(Collections.nCopies(LATER_CALLS, LATER_DENIED));
        return lines;
    }

    /** The "(3.0s" of the warning: the call waited the whole wait, counted from the agent's start. */
    private static String waited(ForkedJvm.Result run) {
        String line = run.agentLines().stream().filter(l -> l.contains("an LLM call (")).findFirst()
                .orElseThrow(() -> new AssertionError("no early-call warning\n" + run.describe()));
        String seconds = line.substring(line.indexOf("ready (") + "ready (".length(), line.indexOf(" after its start"));
        assertThat(Double.parseDouble(seconds.substring(0, seconds.length() - 1))).as(line).isGreaterThanOrEqualTo(3.0);
        return seconds;
    }

    /** The precondition of the scenario: the instrumentation itself was ready within the wait. */
    private static void assertNoClassLoadedUninstrumented(ForkedJvm.Result run) {
        assertThat(run.agentLines()).as(run.describe()).noneMatch(line -> line.contains("instrumentation not ready"));
        // The start line comes from the init thread once the core is ready; a program that ends right
        // after its later calls may end before that daemon thread prints it, never twice.
        assertThat(run.agentLines()).as(run.describe()).filteredOn(line -> line.contains(" started: "))
                .hasSizeLessThanOrEqualTo(1);
    }

    private static Path mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).as("mkfifo %s", path).isZero();
        return path;
    }
}
