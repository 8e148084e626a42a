package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.Ledger;
import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar nullspend-agent.jar list} and {@code attach PID options} against a real running program
 * ({@link ClientApp} with a {@code java.net.http} client and an OkHttp client, each built and used before
 * the attach): the calls made after the attach, and only those, are costed exactly and checked against the
 * budget the attach options set; a second attach, and an attach into a JVM started with {@code -javaagent},
 * are refused with one line and change nothing. The program waits for the commands at its {@code await=}
 * step (see {@link ClientApp}).
 */
@ExtendWith(FakeServers.class)
class AttachIT {

    /** $0.01: the two small calls after the attach fit, a call allowed 1000 output tokens of gpt-4o does not. */
    private static final String LIMIT_USD = "0.01";
    private static final long LIMIT_MICROS = 10_000;
    private static final String OKHTTP_4 = TestEnvironment.okHttpVersions().get(1);

    @TempDir
    Path workDir;

    @Test
    void callsAfterTheAttachAreCostedAndCheckedAndASecondAttachIsRefused(Fakes fakes) {
        FakeProviderServer server = fakes.provider();
        Path ledger = workDir.resolve("attached.jsonl");
        FakeUsage jdkBefore = new FakeUsage(1101, 0, 101, 0);
        FakeUsage okBefore = new FakeUsage(1102, 0, 102, 0);
        FakeUsage jdkAfter = new FakeUsage(1201, 0, 101, 0);
        FakeUsage okAfter = new FakeUsage(1202, 0, 102, 0);
        FakeUsage jdkDenied = new FakeUsage(1301, 0, 103, 0);
        FakeUsage okDenied = new FakeUsage(1302, 0, 104, 0);
        List<List<String>> calls = List.of(
                chat(server, "JdkDriver", "gpt-4o", jdkBefore, 100),
                chat(server, "OkHttpDriver", "gpt-4o-mini", okBefore, 100),
                await(),
                chat(server, "JdkDriver", "gpt-4o", jdkAfter, 100),
                chat(server, "OkHttpDriver", "gpt-4o-mini", okAfter, 100),
                chat(server, "JdkDriver", "gpt-4o", jdkDenied, 1000),
                chat(server, "OkHttpDriver", "gpt-4o", okDenied, 1000));
        Map<String, ForkedJvm.Result> cli = new ConcurrentHashMap<>();
        String options = "ledger=" + ledger + ";budget.limit-usd=" + LIMIT_USD;

        ForkedJvm.Result target = target(OKHTTP_4, false, calls, pid -> {
            cli.put("list", agentJar("list"));
            cli.put("attach", agentJar("attach", pid, options));
            cli.put("again", agentJar("attach", pid, options));
        });

        String pid = target.stdoutValue("awaiting");
        ForkedJvm.Result list = cli.get("list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.stdoutLines()).as(list.describe())
                .filteredOn(line -> line.startsWith(pid + "  "))
                .singleElement().asString().startsWith(pid + "  " + ClientApp.class.getName() + " driver=JdkDriver");
        ForkedJvm.Result attach = cli.get("attach");
        assertThat(attach.exitCode()).as(attach.describe()).isZero();
        assertThat(attach.stdoutLines()).as(attach.describe()).containsExactly("attached the NullSpend agent to JVM " + pid);
        assertThat(attach.stderrWithoutVmWarnings()).as(attach.describe()).isEmpty();
        ForkedJvm.Result again = cli.get("again");
        assertThat(again.exitCode()).as(again.describe()).isEqualTo(1);
        assertThat(again.stdoutLines()).as(again.describe()).isEmpty();
        assertThat(again.stderrWithoutVmWarnings()).as(again.describe()).containsExactly("attach: the NullSpend agent is"
                + " already running in JVM " + pid + " (attached earlier); nothing was changed");

        assertThat(target.exitCode()).as(target.describe()).isZero();
        assertThat(target.agentLines()).as(target.describe()).hasSizeGreaterThan(2);
        assertThat(target.agentLines().get(0)).as(target.describe()).startsWith("[nullspend] NullSpend agent ")
                .contains(" started: mode=local ledger (" + ledger + "), enforcement=on, instrumentations=java-http-client,okhttp,");
        assertThat(target.agentLines().get(1)).as(target.describe()).isEqualTo("[nullspend] WARN the agent is already"
                + " running in this JVM (attached earlier); this attach is refused and changes nothing");
        assertThat(target.agentLines()).as(target.describe()).contains("[nullspend] NullSpend summary: 2 LLM calls, $0.004255 total");

        // Every call before the attach, and the two small ones after, reached the provider; the denied ones did not.
        List<JsonNode> results = ClientContractIT.results(target);
        assertThat(results).as(target.describe()).hasSize(6);
        for (int i = 0; i < 4; i++) {
            assertThat(results.get(i).path("status").asInt()).as("call %d\n%s", i, target.describe()).isEqualTo(200);
        }
        for (FakeUsage sent : List.of(jdkBefore, okBefore, jdkAfter, okAfter)) {
            assertThat(server.requestCount(path(server, sent))).as(server.requestCounts().toString()).isEqualTo(1);
        }
        for (FakeUsage denied : List.of(jdkDenied, okDenied)) {
            assertThat(server.requestCount(path(server, denied))).as(server.requestCounts().toString()).isZero();
        }

        // Exact events for the calls after the attach only: 4013 µ$ (gpt-4o) and 242 µ$ (gpt-4o-mini).
        assertThat(ExpectedCost.openAiChat("gpt-4o", jdkAfter).total()).isEqualTo(4013);
        assertThat(ExpectedCost.openAiChat("gpt-4o-mini", okAfter).total()).isEqualTo(242);
        assertExactOpenAiEvents(target, Ledger.read(ledger),
                List.of(new ExpectedCall("gpt-4o", jdkAfter), new ExpectedCall("gpt-4o-mini", okAfter)));

        // The budget the attach set denies both clients' next call, by type, with exact figures.
        long spend = 4013 + 242;
        long estimate = ExpectedCost.openAiEstimate("gpt-4o",
                ClientApp.chatBody("gpt-4o", 1000, null).getBytes(StandardCharsets.UTF_8).length, 1000);
        for (JsonNode denied : results.subList(4, 6)) {
            String context = denied + "\n" + target.describe();
            assertThat(denied.path("error").asText()).as(context).isEqualTo("dev.nullspend.api.BudgetExceededException");
            JsonNode fields = denied.path("denial").path("fields");
            assertThat(denied.path("denial").path("code").asText()).as(context).isEqualTo("budget_exceeded");
            assertThat(fields.path("limit").asLong()).as(context).isEqualTo(LIMIT_MICROS);
            assertThat(fields.path("spend").asLong()).as(context).isEqualTo(spend);
            assertThat(fields.path("estimate").asLong()).as(context).isEqualTo(estimate);
            assertThat(fields.path("remaining").asLong()).as(context).isEqualTo(LIMIT_MICROS - spend);
        }
    }

    @Test
    void anAttachIntoAJvmStartedWithJavaagentIsRefusedAndChangesNothing(Fakes fakes) {
        FakeProviderServer server = fakes.provider();
        Path attachLedger = workDir.resolve("attached.jsonl");
        FakeUsage usage = new FakeUsage(1401, 0, 105, 0);
        Map<String, ForkedJvm.Result> cli = new ConcurrentHashMap<>();

        // A budget of one microdollar would deny the call, had the refused attach changed anything.
        ForkedJvm.Result target = target(OKHTTP_4, true, List.of(await(), chat(server, "JdkDriver", "gpt-4o", usage, 100)),
                pid -> cli.put("attach", agentJar("attach", pid, "ledger=" + attachLedger + ";budget.limit-usd=0.000001")));

        String pid = target.stdoutValue("awaiting");
        ForkedJvm.Result attach = cli.get("attach");
        assertThat(attach.exitCode()).as(attach.describe()).isEqualTo(1);
        assertThat(attach.stdoutLines()).as(attach.describe()).isEmpty();
        assertThat(attach.stderrWithoutVmWarnings()).as(attach.describe()).containsExactly("attach: the NullSpend agent is"
                + " already running in JVM " + pid + " (started with -javaagent); nothing was changed");
        assertThat(target.agentLines()).as(target.describe()).filteredOn(line -> line.contains("attach"))
                .containsExactly("[nullspend] WARN the agent is already running in this JVM (started with -javaagent);"
                        + " this attach is refused and changes nothing");
        assertThat(ClientContractIT.results(target)).as(target.describe()).singleElement()
                .satisfies(r -> assertThat(r.path("status").asInt()).isEqualTo(200));
        assertExactOpenAiEvents(target, List.of(new ExpectedCall("gpt-4o", usage)));
        assertThat(attachLedger).doesNotExist();
    }

    /** OkHttp 3 and 5 read a client's interceptors as OkHttp 4 does: a client built before the attach is tracked after it. */
    @ParameterizedTest
    @MethodSource("otherOkHttpVersions")
    void anOkHttpClientBuiltBeforeTheAttachIsTrackedAfterIt(String version, Fakes fakes) {
        FakeProviderServer server = fakes.provider();
        Path ledger = workDir.resolve("attached.jsonl");
        // Each version's calls their own usage, so their paths on the shared fake provider differ.
        int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
        FakeUsage before = new FakeUsage(1500 + major, 0, 106, 0);
        FakeUsage after = new FakeUsage(1600 + major, 0, 107, 0);
        Map<String, ForkedJvm.Result> cli = new ConcurrentHashMap<>();

        ForkedJvm.Result target = target(version, false, List.of(chat(server, "OkHttpDriver", "gpt-4o", before, 100),
                await(), chat(server, "OkHttpDriver", "gpt-4o", after, 100)),
                pid -> cli.put("attach", agentJar("attach", pid, "ledger=" + ledger)));

        assertThat(cli.get("attach").exitCode()).as(cli.get("attach").describe()).isZero();
        assertThat(server.requestCount(path(server, before))).isEqualTo(1);
        assertThat(server.requestCount(path(server, after))).isEqualTo(1);
        assertExactOpenAiEvents(target, Ledger.read(ledger), List.of(new ExpectedCall("gpt-4o", after)));
    }

    static List<String> otherOkHttpVersions() {
        List<String> versions = TestEnvironment.okHttpVersions();
        return List.of(versions.get(0), versions.get(2));
    }

    @Test
    void aPidThatIsNoJvmExitsOneAndAMissingPidTwoWithOneLine() {
        ForkedJvm.Result noJvm = agentJar("attach", "999999999", "ledger=off");
        assertThat(noJvm.exitCode()).as(noJvm.describe()).isEqualTo(1);
        assertThat(noJvm.stdoutLines()).as(noJvm.describe()).isEmpty();
        assertThat(noJvm.stderrWithoutVmWarnings()).as(noJvm.describe())
                .containsExactly("attach: no JVM with PID 999999999 that this user can attach to (list shows them)");

        ForkedJvm.Result missing = agentJar("attach");
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(2);
        assertThat(missing.stdoutLines()).as(missing.describe()).isEmpty();
        assertThat(missing.stderrWithoutVmWarnings()).as(missing.describe())
                .containsExactly("attach: missing PID (usage: attach PID [key=value;…] (list shows the JVMs))");
    }

    /** A non-streamed chat call of {@link ClientApp} through {@code driver}, allowed {@code maxTokens} output tokens. */
    private static List<String> chat(FakeProviderServer server, String driver, String model, FakeUsage usage, int maxTokens) {
        return List.of("driver=" + driver, "url=" + server.chatCompletionsUrl(Scenario.OK, usage), "chat=" + model,
                "max-tokens=" + maxTokens);
    }

    private static String path(FakeProviderServer server, FakeUsage usage) {
        return URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();
    }

    /**
     * Runs {@link ClientApp} (this OkHttp version on its class path) until it ends; when it waits at its
     * {@link #await()} step, runs {@code whileWaiting} with its pid, then lets it go on, whatever {@code whileWaiting} did.
     */
    private ForkedJvm.Result target(String okHttp, boolean javaagent, List<List<String>> calls, Consumer<String> whileWaiting) {
        Path go = workDir.resolve("go");
        List<String> args = new ArrayList<>();
        calls.forEach(call -> args.addAll(args.isEmpty() ? call : ClientContractIT.join(List.of("--"), call)));
        return ForkedJvm.in(workDir).agent(javaagent).mainClass(ClientApp.class)
                .classPath(ClientContractIT.withProgramLibraries(TestEnvironment.programClassPath("okhttp-" + okHttp)))
                .args(args.toArray(String[]::new))
                // It waits for the attach commands, each a JVM of its own: more than the default minute on a loaded machine.
                .timeout(Duration.ofMinutes(4))
                .onStdoutLine(line -> {
                    if (line.startsWith("awaiting=")) {
                        try {
                            whileWaiting.accept(line.substring("awaiting=".length()));
                        } finally {
                            touch(go);
                        }
                    }
                })
                .run();
    }

    /** The step at which {@link ClientApp} waits for the test. */
    private List<String> await() {
        return List.of("await=" + workDir.resolve("go"));
    }

    /** {@code java -jar nullspend-agent.jar args…}, as a user runs it. */
    private ForkedJvm.Result agentJar(String... args) {
        return ForkedJvm.in(workDir).agent(false).jar(TestEnvironment.agentJar()).args(args).timeout(Duration.ofMinutes(2)).run();
    }

    private static void touch(Path file) {
        try {
            Files.writeString(file, "go");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
