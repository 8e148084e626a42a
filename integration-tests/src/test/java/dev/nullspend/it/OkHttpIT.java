package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.OkHttpApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.DeterministicBytes;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.GatedRun;
import dev.nullspend.it.support.TestEnvironment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OkHttp under the agent, for each version of the matrix (3.14, 4.x, 5.x: {@code it.okhttp.versions}),
 * in forked JVMs whose class path holds that version alone: every LLM call gives exactly one exact
 * ledger line whether it is made with {@code execute()} or {@code enqueue()}, read whole or line by
 * line, on the first client or on one derived from it; other calls give none; the program gets the
 * provider's bytes unchanged; a denial reaches synchronous callers as the typed exception and async
 * callbacks as its {@code IOException} carrier, with nothing sent.
 *
 * <p>One child JVM per question and version, each making several calls with their own usage numbers.
 */
class OkHttpIT {

    /** A release lets every waiting gated response go: gated tests must not overlap. */
    private static final String GATE = "fake-provider-gate";
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o3"};
    private static final String DENIAL = "dev.nullspend.api.BudgetExceededException";
    private static final String DENIAL_CARRIER = "dev.nullspend.agent.exchange.NullSpendDeniedIOException";

    private static FakeProviderServer server;

    @TempDir
    Path workDir;

    @BeforeAll
    static void startServer() {
        server = FakeProviderServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static Stream<String> versions() {
        return TestEnvironment.okHttpVersions().stream();
    }

    /**
     * One program per version: LLM calls in every combination of {@code execute}/{@code enqueue}, plain
     * and streamed (with and without {@code include_usage}: without it, the agent asks for the usage and
     * takes the usage chunk out of what the program reads), read whole and line by line, on the base client, a {@code newBuilder()} client and a
     * client from the reused builder; calls that are no LLM calls; non-2xx answers. It runs with and
     * without the agent and must print the same.
     */
    @ParameterizedTest(name = "OkHttp {0}")
    @MethodSource("versions")
    void everyLlmCallGivesOneExactLineAndEveryCallTheProvidersBytes(String version) {
        int v = TestEnvironment.okHttpVersions().indexOf(version);
        List<Call> calls = new ArrayList<>();
        String[][] llmCalls = {
            {"execute", "string", "off", "base"},
            {"execute", "lines", "usage", "base"},
            {"enqueue", "string", "off", "base"},
            {"enqueue", "lines", "usage", "base"},
            {"execute", "lines", "off", "base"},
            {"enqueue", "string", "usage", "base"},
            {"execute", "string", "off", "derived"},
            {"enqueue", "lines", "usage", "derived"},
            {"execute", "string", "usage", "rebuilt"},
            {"enqueue", "lines", "off", "rebuilt"},
            {"execute", "lines", "no-usage", "base"},
            {"enqueue", "string", "no-usage", "derived"},
            {"execute", "string", "no-usage", "rebuilt"},
        };
        for (int i = 0; i < llmCalls.length; i++) {
            String[] c = llmCalls[i];
            int n = v * llmCalls.length + i;
            String model = MODELS[n % MODELS.length];
            FakeUsage usage = new FakeUsage(4001 + 97L * n, 128L * (n % 4), 311 + 13L * n, model.equals("o3") ? 57 : 0);
            calls.add(Call.chat(Scenario.OK, usage, model, c[2], c[0], c[1], c[3]));
        }
        int dataSize = 300_007 + v;
        calls.add(new Call(List.of("url=" + server.dataUrl(dataSize), "read=lines", "mode=execute"),
                200, DeterministicBytes.of(dataSize), null));
        calls.add(new Call(List.of("url=" + server.dataUrl(dataSize), "read=lines", "mode=enqueue", "client=derived"),
                200, DeterministicBytes.of(dataSize), null));
        calls.add(new Call(List.of("url=" + server.echoUrl(), "post=70001", "read=lines", "mode=execute"),
                200, DeterministicBytes.of(70001), null));
        // An LLM-shaped body to a path that is not chat completions.
        byte[] chatShaped = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        calls.add(new Call(List.of("url=" + server.echoUrl(), "chat=gpt-4o", "read=string", "mode=enqueue"),
                200, chatShaped, null));
        calls.add(Call.chat(Scenario.HTTP_500, new FakeUsage(9001 + v, 0, 100, 0), "gpt-4o", "off",
                "execute", "string", "base"));
        calls.add(Call.chat(Scenario.HTTP_500, new FakeUsage(9101 + v, 0, 100, 0), "gpt-4o", "usage",
                "enqueue", "lines", "derived"));
        int dataBefore = server.requestCount("/data/" + dataSize);

        ForkedJvm.Result withAgent = run(version, true, calls).run();
        ForkedJvm.Result withoutAgent = run(version, false, calls).run();

        assertReceived(withAgent, calls);
        assertThat(withAgent.stdoutLines()).as("the same program output without the agent\n%s", withAgent.describe())
                .isEqualTo(withoutAgent.stdoutLines());
        assertExactOpenAiEvents(withAgent, calls.stream().filter(c -> c.expected() != null).map(Call::expected).toList());
        for (Call call : calls) {
            if (call.path() != null) {
                assertThat(server.requestCount(call.path())).as("sent once per run, nothing added by the agent: %s; %s",
                        call.path(), server.requestCounts()).isEqualTo(2);
            }
        }
        assertThat(server.requestCount("/data/" + dataSize) - dataBefore).as("%s", server.requestCounts()).isEqualTo(4);
        assertAgentStarted(withAgent);
    }

    /**
     * Every LLM call denied (a $0.001 budget: every call's estimate is larger): {@code execute()} throws the typed
     * denial itself, an {@code enqueue()} callback gets the {@code IOException} carrier whose cause it is;
     * the provider receives nothing and nothing is billed, while a call that is no LLM call goes through.
     */
    @ParameterizedTest(name = "OkHttp {0}")
    @MethodSource("versions")
    void denialsReachExecuteAsTheTypedExceptionAndEnqueueAsItsCarrierBeforeAnythingIsSent(String version) {
        int v = TestEnvironment.okHttpVersions().indexOf(version);
        List<Call> denied = List.of(
                Call.chat(Scenario.OK, new FakeUsage(6001 + v, 0, 10, 0), "gpt-4o", "off", "execute", "string", "base"),
                Call.chat(Scenario.OK, new FakeUsage(6101 + v, 0, 10, 0), "gpt-4o", "off", "enqueue", "string", "base"),
                Call.chat(Scenario.OK, new FakeUsage(6201 + v, 0, 10, 0), "gpt-4o", "usage", "execute", "lines", "derived"),
                Call.chat(Scenario.OK, new FakeUsage(6301 + v, 0, 10, 0), "gpt-4o", "usage", "enqueue", "lines", "derived"));
        int dataSize = 1009 + v;
        List<Call> calls = new ArrayList<>(denied);
        calls.add(new Call(List.of("url=" + server.dataUrl(dataSize), "read=lines", "mode=enqueue"), 200,
                DeterministicBytes.of(dataSize), null));

        ForkedJvm.Result run = run(version, true, calls).systemProperty("nullspend.budget.limit-usd", "0.001").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "error=" + DENIAL,
                "error=" + DENIAL_CARRIER, "cause=" + DENIAL,
                "error=" + DENIAL,
                "error=" + DENIAL_CARRIER, "cause=" + DENIAL,
                "status=200", "sha256=" + Sha256.hex(DeterministicBytes.of(dataSize)), "bytes=" + dataSize);
        for (Call call : denied) {
            assertThat(server.requestCount(call.path())).as("the provider received nothing: %s; %s", call.path(),
                    server.requestCounts()).isZero();
        }
        assertThat(run.stderrLines()).as("no exception escaped to a thread\n%s", run.describe())
                .noneMatch(line -> line.startsWith("Exception in thread"));
        assertAgentStarted(run);
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    @ParameterizedTest(name = "OkHttp {0}")
    @MethodSource("versions")
    @ResourceLock(GATE)
    void programReadsTheFirstEventBeforeTheProviderSendsTheLast(String version) {
        int v = TestEnvironment.okHttpVersions().indexOf(version);
        FakeUsage usage = new FakeUsage(2600 + v, 512, 260, 0);
        Call call = Call.chat(Scenario.GATED, usage, "gpt-4o", "usage", "execute", "lines", "base");

        GatedRun gated = GatedRun.run(server, run(version, true, List.of(call)));

        assertReceived(gated.run(), List.of(call));
        gated.assertProgramReadTheFirstEventFirst();
        assertSingleExactOpenAiEvent(gated.run(), "gpt-4o", usage);
    }

    /**
     * One call of {@link OkHttpApp}: its arguments, the status and body it must receive, and the ledger
     * event it must give (null: none).
     */
    private record Call(List<String> args, int status, byte[] body, ExpectedCall expected) {

        static Call chat(Scenario scenario, FakeUsage usage, String model, String stream, String mode, String read,
                         String client) {
            List<String> args = List.of("url=" + server.chatCompletionsUrl(scenario, usage), "chat=" + model,
                    "stream=" + stream, "mode=" + mode, "read=" + read, "client=" + client);
            if (scenario == Scenario.HTTP_500) {
                return new Call(args, 500, null, null);
            }
            // Without include_usage the agent asks for the usage; the program still gets the stream without it.
            byte[] body = stream.equals("off") ? ChatResponses.completion(model, usage)
                    : ChatResponses.streamBody(model, stream.equals("usage") ? usage : null);
            return new Call(args, 200, body, new ExpectedCall(model, usage));
        }

        /** The chat completions path this call requests (unique through its usage), or null for other calls. */
        String path() {
            String url = args.get(0).substring("url=".length());
            return args.stream().anyMatch(a -> a.startsWith("chat=")) && url.endsWith("/chat/completions")
                    ? URI.create(url).getPath() : null;
        }
    }

    /** {@link OkHttpApp} with the calls, on the class path of one OkHttp version. */
    private ForkedJvm.Builder run(String version, boolean agent, List<Call> calls) {
        List<String> args = new ArrayList<>();
        for (Call call : calls) {
            if (!args.isEmpty()) {
                args.add("--");
            }
            args.addAll(call.args());
        }
        return ForkedJvm.in(workDir).agent(agent).mainClass(OkHttpApp.class)
                .classPath(TestEnvironment.programClassPath("okhttp-" + version))
                .systemProperty("nullspend.providers.include-usage-hosts", "127.0.0.1:" + server.port())
                .args(args.toArray(String[]::new));
    }

    /** Exit 0; per call in order its status and, where the test knows the body, the SHA-256 of exactly those bytes. */
    private static void assertReceived(ForkedJvm.Result run, List<Call> calls) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> line.startsWith("status="))
                .containsExactlyElementsOf(calls.stream().map(c -> "status=" + c.status()).toList());
        List<String> shas = run.stdoutLines().stream().filter(line -> line.startsWith("sha256=")).toList();
        assertThat(shas).as(run.describe()).hasSameSizeAs(calls);
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).body() != null) {
                assertThat(shas.get(i)).as("body of call %d\n%s", i, run.describe())
                        .isEqualTo("sha256=" + Sha256.hex(calls.get(i).body()));
            }
        }
    }

    private static void assertAgentStarted(ForkedJvm.Result run) {
        assertThat(run.agentLines()).as("the agent was active, so 'no ledger line' means something\n%s", run.describe())
                .anyMatch(line -> line.contains("started"));
    }
}
