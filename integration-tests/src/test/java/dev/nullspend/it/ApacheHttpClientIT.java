package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.ApacheHttpClientApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.DeterministicBytes;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Apache HttpClient under the agent, in forked JVMs: 4.5 classic, 5.x classic and 5.x async. Every
 * LLM call gives exactly one exact ledger line whichever way the program takes the body; every other
 * call none; the program receives the same bytes with and without the agent; a stream reaches the
 * program event by event.
 *
 * <p>One program per client and question, each making several calls with their own usage numbers
 * (a forked JVM with a client costs one to two seconds on two cores).
 */
class ApacheHttpClientIT {

    /** A release lets every waiting gated response go: gated runs must not overlap. */
    private static final String GATE = "fake-provider-gate";
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o3"};
    /** What {@code chat=gpt-4o} posts (stream off, no padding): echoed back by {@code /echo}. */
    private static final byte[] CHAT_SHAPED_BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    /** The clients, with the program's ways of taking a body ({@code handler=}) for each. */
    enum Client {
        HC4("hc4", List.of("handler", "to-string", "lines", "write-to"), List.of("lines"), List.of("minimal", "legacy")),
        HC5("hc5", List.of("handler", "to-string", "lines", "write-to"), List.of("lines"), List.of("minimal")),
        HC5_ASYNC("hc5-async", List.of("simple", "chars", "bin"), List.of("chars", "bin"), List.of("minimal"));

        final String arg;
        final List<String> handlers;
        /** The handlers that hand the program each part of the body as it arrives. */
        final List<String> incremental;
        /**
         * Client builds besides the default one; each reaches another instrumented class (4.5
         * {@code MinimalHttpClient}, {@code AbstractHttpClient}; 5.x {@code MinimalHttpClient},
         * {@code AbstractMinimalHttpAsyncClientBase}).
         */
        final List<String> otherBuilds;

        Client(String arg, List<String> handlers, List<String> incremental, List<String> otherBuilds) {
            this.arg = arg;
            this.handlers = handlers;
            this.incremental = incremental;
            this.otherBuilds = otherBuilds;
        }

        boolean classic() {
            return this != HC5_ASYNC;
        }

        /** A handler that passes binary bodies through unchanged. */
        String binaryHandler() {
            return classic() ? "handler" : "bin";
        }

        /** A handler that takes the body as text. */
        String textHandler() {
            return classic() ? "to-string" : "chars";
        }
    }

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

    /**
     * Every way of taking a body, plain and streamed (with {@code include_usage}, and without it: the agent
     * asks for the usage and the program still reads the stream without it), then a streamed call on
     * each other way of building the client, each call with its own model and usage: one exact line per
     * call, and the program gets the provider's bytes. The plain calls post a body of about 20 KB, longer
     * than the clients' buffers, which the agent must copy without changing what is sent (the provider
     * rejects a broken body).
     */
    @ParameterizedTest
    @EnumSource(Client.class)
    void everyWayOfTakingTheBodyGivesOneExactLinePerCall(Client client) {
        List<List<String>> calls = new ArrayList<>();
        List<Expect> expects = new ArrayList<>();
        List<ExpectedCall> events = new ArrayList<>();
        int i = 0;
        for (String handler : client.handlers) {
            for (String stream : List.of("off", "usage", "no-usage")) {
                int n = client.ordinal() * 20 + i++;
                String model = MODELS[n % MODELS.length];
                FakeUsage usage = new FakeUsage(4001 + 97L * n, 128L * (n % 4), 311 + 13L * n, n % 3 == 2 ? 57 : 0);
                List<String> call = new ArrayList<>(chatCall(client, Scenario.OK, usage, model, stream, handler));
                if (stream.equals("off")) {
                    call.add("pad=20000");
                }
                calls.add(call);
                expects.add(new Expect(200, handler, stream.equals("off") ? ChatResponses.completion(model, usage)
                        : ChatResponses.streamBody(model, stream.equals("usage") ? usage : null)));
                events.add(new ExpectedCall(model, usage));
            }
        }
        for (String build : client.otherBuilds) {
            FakeUsage usage = new FakeUsage(6001 + 10L * client.ordinal() + events.size(), 0, 77, 0);
            String handler = client.incremental.get(0);
            List<String> call = new ArrayList<>(chatCall(client, Scenario.OK, usage, "gpt-4o-mini", "usage", handler));
            call.add("build=" + build);
            calls.add(call);
            expects.add(new Expect(200, handler, ChatResponses.streamBody("gpt-4o-mini", usage)));
            events.add(new ExpectedCall("gpt-4o-mini", usage));
        }

        ForkedJvm.Result run = runApp(true, calls);

        assertCalls(run, expects);
        assertExactOpenAiEvents(run, events);
    }

    /**
     * Calls the agent must not bill, and gzip responses it must: GETs and POSTs that are not LLM calls
     * (among them an LLM-shaped body posted to a path that is not chat completions), provider errors,
     * and, for the classic clients, a chat request whose body can be read only once (the agent must not
     * read it: the provider answers it as usual, and nothing can recognise it on a non-OpenAI host).
     * Gzip: the classic clients decompress by default (the agent sees plain bytes) or, built with
     * {@code disableContentCompression()}, hand gzip bytes to the program, as the async client always does
     * (the agent decompresses for itself). Same stdout with and without the agent; lines for gzip calls only.
     */
    @ParameterizedTest
    @EnumSource(Client.class)
    void programsGetTheSameBytesAndOnlyLlmCallsAreBilled(Client client) {
        int n = client.ordinal();
        int dataSize = 1_000_003 + n;
        FakeUsage errorPlain = new FakeUsage(5100 + n, 0, 100, 0);
        FakeUsage errorStream = new FakeUsage(5200 + n, 0, 100, 0);
        FakeUsage oneShot = new FakeUsage(5300 + n, 0, 100, 0);
        List<List<String>> calls = new ArrayList<>();
        List<Expect> expects = new ArrayList<>();
        calls.add(List.of("client=" + client.arg, "url=" + server.dataUrl(dataSize), "handler=" + client.binaryHandler()));
        expects.add(new Expect(200, client.binaryHandler(), DeterministicBytes.of(dataSize)));
        calls.add(List.of("client=" + client.arg, "url=" + server.echoUrl(), "post=70001", "handler=" + client.binaryHandler()));
        expects.add(new Expect(200, client.binaryHandler(), DeterministicBytes.of(70001)));
        calls.add(List.of("client=" + client.arg, "url=" + server.echoUrl(), "chat=gpt-4o", "handler=" + client.textHandler()));
        expects.add(new Expect(200, client.textHandler(), CHAT_SHAPED_BODY));
        calls.add(chatCall(client, Scenario.HTTP_500, errorPlain, "gpt-4o", "off", client.handlers.get(0)));
        expects.add(new Expect(500, client.handlers.get(0), null));
        calls.add(chatCall(client, Scenario.HTTP_500, errorStream, "gpt-4o", "usage", client.incremental.get(0)));
        expects.add(new Expect(500, client.incremental.get(0), null));
        if (client.classic()) {
            List<String> call = new ArrayList<>(chatCall(client, Scenario.OK, oneShot, "gpt-4o", "off", "handler"));
            call.add("body=one-shot");
            calls.add(call);
            expects.add(new Expect(200, "handler", ChatResponses.completion("gpt-4o", oneShot)));
        }
        List<ExpectedCall> gzipEvents = new ArrayList<>();
        List<String> builds = client.classic() ? List.of("default", "no-compression") : List.of("default");
        for (String build : builds) {
            for (String stream : List.of("off", "usage")) {
                FakeUsage usage = new FakeUsage(7700 + 10L * n + gzipEvents.size(), 1024, 333, 0);
                String handler = client.classic() ? "write-to" : "bin";
                List<String> call = new ArrayList<>(chatCall(client, Scenario.GZIP, usage, "gpt-4o", stream, handler));
                call.add("build=" + build);
                calls.add(call);
                boolean plainForTheProgram = client.classic() && build.equals("default");
                expects.add(new Expect(200, handler, !plainForTheProgram ? null
                        : stream.equals("off") ? ChatResponses.completion("gpt-4o", usage) : ChatResponses.streamBody("gpt-4o", usage)));
                gzipEvents.add(new ExpectedCall("gpt-4o", usage));
            }
        }

        ForkedJvm.Result withAgent = runApp(true, calls);
        ForkedJvm.Result withoutAgent = runApp(false, calls);

        assertCalls(withAgent, expects);
        assertThat(withAgent.stdoutLines()).as("what the program received, with the agent\n%s", withAgent.describe())
                .isEqualTo(withoutAgent.stdoutLines());
        assertExactOpenAiEvents(withAgent, gzipEvents);
        assertThat(server.requestCount("/data/" + dataSize)).as("one request per run; %s", server.requestCounts()).isEqualTo(2);
        for (FakeUsage sentOnce : client.classic() ? List.of(errorPlain, errorStream, oneShot) : List.of(errorPlain, errorStream)) {
            Scenario scenario = sentOnce == oneShot ? Scenario.OK : Scenario.HTTP_500;
            String path = URI.create(server.chatCompletionsUrl(scenario, sentOnce)).getPath();
            assertThat(server.requestCount(path)).as("%s sent once per run; %s", path, server.requestCounts()).isEqualTo(2);
        }
    }

    /**
     * The provider holds back everything after the first SSE event until the program has printed that it
     * read it: the tee passes each part on as it arrives. One program makes one gated call per incremental
     * way of reading; each gets its exact line.
     */
    @ParameterizedTest
    @EnumSource(Client.class)
    @ResourceLock(GATE)
    void programReadsTheFirstEventBeforeTheProviderSendsTheLast(Client client) {
        List<List<String>> calls = new ArrayList<>();
        List<Expect> expects = new ArrayList<>();
        List<ExpectedCall> events = new ArrayList<>();
        for (String handler : client.incremental) {
            FakeUsage usage = new FakeUsage(2600 + 10L * client.ordinal() + events.size(), 500, 250, 0);
            calls.add(chatCall(client, Scenario.GATED, usage, "gpt-4o", "usage", handler));
            expects.add(new Expect(200, handler, ChatResponses.streamBody("gpt-4o", usage)));
            events.add(new ExpectedCall("gpt-4o", usage));
        }
        List<Integer> waitingAtFirstEvent = new ArrayList<>();
        List<Integer> released = new ArrayList<>();
        int timeoutsBefore = server.gateTimeouts();

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ApacheHttpClientApp.class).args(args(calls))
                .onStdoutLine(line -> {
                    if (line.equals("first-event")) {
                        waitingAtFirstEvent.add(server.gatesWaiting());
                        released.add(server.release());
                    }
                })
                .run();

        assertCalls(run, expects);
        List<Integer> ones = calls.stream().map(c -> 1).toList();
        assertThat(waitingAtFirstEvent).as("the provider still held the rest when the program printed first-event\n%s",
                run.describe()).isEqualTo(ones);
        assertThat(released).as("each release let exactly that response go").isEqualTo(ones);
        assertThat(server.gateTimeouts() - timeoutsBefore).as("released by the test, not by the gate's timeout").isZero();
        assertExactOpenAiEvents(run, events);
    }

    /**
     * One call the program makes: the status it must print and, when known, the bytes the provider sent
     * (null: compared with the run without the agent instead).
     */
    private record Expect(int status, String handler, byte[] sent) {

        /** What the program digests: the bytes, except that {@code lines} ends every line with {@code \n}. */
        String expectedSha() {
            if (!handler.equals("lines") || sent.length == 0 || sent[sent.length - 1] == '\n') {
                return Sha256.hex(sent);
            }
            byte[] terminated = new byte[sent.length + 1];
            System.arraycopy(sent, 0, terminated, 0, sent.length);
            terminated[sent.length] = '\n';
            return Sha256.hex(terminated);
        }
    }

    /** Exit 0, a status and a digest per call in order, and the expected bytes wherever they are known. */
    private static void assertCalls(ForkedJvm.Result run, List<Expect> calls) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> line.startsWith("status="))
                .containsExactlyElementsOf(calls.stream().map(c -> "status=" + c.status()).toList());
        List<String> digests = run.stdoutLines().stream().filter(line -> line.startsWith("sha256=")).toList();
        assertThat(digests).as("one body digest per call\n%s", run.describe()).hasSameSizeAs(calls);
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).sent() != null) {
                assertThat(digests.get(i)).as("SHA-256 of the body of call %d\n%s", i + 1, run.describe())
                        .isEqualTo("sha256=" + calls.get(i).expectedSha());
            }
        }
    }

    /** The {@link ApacheHttpClientApp} arguments of one chat completion call. */
    /**
     * A $0.001 budget (every call's estimate is larger): each LLM call, plain and streamed, is denied
     * with the typed {@code BudgetExceededException} before anything is sent — thrown from
     * {@code execute} for the classic clients, the cause of the future's failure for the async one —
     * and nothing is billed.
     */
    @ParameterizedTest
    @EnumSource(Client.class)
    void denialsReachTheProgramBeforeAnythingIsSent(Client client) {
        int n = client.ordinal();
        FakeUsage plain = new FakeUsage(7100 + n, 0, 10, 0);
        FakeUsage streamed = new FakeUsage(7200 + n, 0, 10, 0);
        List<List<String>> calls = List.of(
                chatCall(client, Scenario.OK, plain, "gpt-4o", "off", client.textHandler()),
                chatCall(client, Scenario.OK, streamed, "gpt-4o", "usage", client.incremental.get(0)));

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ApacheHttpClientApp.class)
                .systemProperty("nullspend.budget.limit-usd", "0.001").args(args(calls)).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "error=dev.nullspend.api.BudgetExceededException", "error=dev.nullspend.api.BudgetExceededException");
        for (FakeUsage usage : List.of(plain, streamed)) {
            String path = java.net.URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();
            assertThat(server.requestCount(path)).as("nothing sent; %s", server.requestCounts()).isZero();
        }
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    private static List<String> chatCall(Client client, Scenario scenario, FakeUsage usage, String model, String stream,
                                         String handler) {
        return List.of("client=" + client.arg, "url=" + server.chatCompletionsUrl(scenario, usage), "chat=" + model,
                "stream=" + stream, "handler=" + handler);
    }

    /**
     * Runs {@link ApacheHttpClientApp} with the calls, in order, on one client; the fake provider's host is
     * opted in to {@code include_usage}, as api.openai.com is by default.
     */
    private ForkedJvm.Result runApp(boolean agent, List<List<String>> calls) {
        return ForkedJvm.in(workDir).agent(agent).mainClass(ApacheHttpClientApp.class).args(args(calls))
                .systemProperty("nullspend.providers.include-usage-hosts", "127.0.0.1:" + server.port())
                .run();
    }

    private static String[] args(List<List<String>> calls) {
        List<String> args = new ArrayList<>();
        for (List<String> call : calls) {
            if (!args.isEmpty()) {
                args.add("--");
            }
            args.addAll(call);
        }
        return args.toArray(String[]::new);
    }
}
