package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.HandlerKind;
import dev.nullspend.it.apps.JdkDriver;
import dev.nullspend.it.apps.JdkHttpClientApp;
import dev.nullspend.it.apps.UrlConnectionDriver;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.GatedRun;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java.net.http} under the agent, in a forked JVM: the client contract ({@link ClientContractIT}) on
 * {@code send} and {@code sendAsync}, and what is this client's own: every {@code BodyHandler}, each
 * streaming one reading the first event first, parser faults, a host not opted in to {@code include_usage},
 * the enforcement messages, truncated plain bodies.
 *
 * <p>A forked JVM with an {@code HttpClient} costs about a second on two cores, so where the question
 * is "one line per call" one program makes several calls, each with its own usage numbers.
 */
class JdkHttpClientIT extends ClientContractIT {

    /** Opts the fake provider's host in to {@code include_usage}, as api.openai.com is by default. */
    private static final String INCLUDE_USAGE_HOSTS = "nullspend.providers.include-usage-hosts";

    /** A denial reaches both ways as the typed exception itself: thrown by {@code send}, the future's failure. */
    JdkHttpClientIT() {
        super(JdkDriver.class, List.of(new Way("sync", null), new Way("async", null)));
    }

    /** Beside this client, the other the JDK has: {@code HttpURLConnection}. */
    @Override
    protected Class<? extends ClientDriver> otherClient() {
        return UrlConnectionDriver.class;
    }

    @Test
    void plainCallWritesOneExactLedgerLine() {
        FakeUsage usage = new FakeUsage(1000, 400, 500, 0);

        ForkedJvm.Result run = runCall(true, chatCall(Scenario.OK, usage, "gpt-4o", "off", HandlerKind.BYTES, "sync"));

        assertReceived(run, List.of(new Received(HandlerKind.BYTES, ChatResponses.completion("gpt-4o", usage))));
        assertSingleExactOpenAiEvent(run, "gpt-4o", usage);
        JsonNode event = run.ledger().get(0);
        // The contract's vector, spelled out once so that the oracle itself is pinned here too.
        assertThat(event.path("costMicrodollars").asLong()).isEqualTo(7000);
        assertThat(event.path("costBreakdown").path("input").asLong()).isEqualTo(1500);
        assertThat(event.path("costBreakdown").path("cached").asLong()).isEqualTo(500);
        assertThat(event.path("costBreakdown").path("output").asLong()).isEqualTo(5000);
    }

    /**
     * One program per way of taking a body; it makes six calls (sync and async; plain, streamed with
     * {@code include_usage}, streamed without it), each with its own model and usage, and must get six
     * exact lines. Without {@code include_usage} the agent asks for the usage and the program still gets
     * the stream without it.
     */
    @ParameterizedTest
    @EnumSource(HandlerKind.class)
    void everyBodyHandlerSyncAndAsyncGivesExactlyOneExactLinePerCall(HandlerKind handler) {
        String[] models = {"gpt-4o", "gpt-4o-mini", "o3"};
        List<List<String>> calls = new ArrayList<>();
        List<Received> received = new ArrayList<>();
        List<ExpectedCall> expected = new ArrayList<>();
        int i = 0;
        for (String mode : List.of("sync", "async")) {
            for (String stream : List.of("off", "usage", "no-usage")) {
                int n = handler.ordinal() * 6 + i++;
                String model = models[n % models.length];
                FakeUsage usage = new FakeUsage(3001 + 97L * n, 128L * (n % 4), 211 + 13L * n, n % 3 == 2 ? 57 : 0);
                calls.add(chatCall(Scenario.OK, usage, model, stream, handler, mode));
                received.add(new Received(handler, stream.equals("off") ? ChatResponses.completion(model, usage)
                        : ChatResponses.streamBody(model, stream.equals("usage") ? usage : null)));
                expected.add(new ExpectedCall(model, usage));
            }
        }

        ForkedJvm.Result run = runApp(true, calls);

        assertReceived(run, received);
        assertExactOpenAiEvents(run, expected);
    }

    /** A host that is not opted in is never asked: the program's request goes as it built it, billed at its estimate. */
    @Test
    void streamToAHostNotOptedInIsLeftAloneAndEstimated() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(JdkHttpClientApp.class)
                .args(chatCall(Scenario.OK, new FakeUsage(501, 0, 41, 0), "gpt-4o", "no-usage", HandlerKind.INPUT_STREAM,
                        "sync").toArray(String[]::new))
                .run();

        assertReceived(run, List.of(new Received(HandlerKind.INPUT_STREAM, ChatResponses.streamBody("gpt-4o", null))));
        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize(1);
        assertEstimatedOpenAiEvent(events.get(0), run, "gpt-4o");
    }

    @Test
    void truncatedResponsesFailTheProgramExactlyAsWithoutTheAgent() {
        FakeUsage usage = new FakeUsage(900, 0, 90, 0);
        List<List<String>> calls = List.of(
                chatCall(Scenario.TRUNCATED, usage, "gpt-4o", "usage", HandlerKind.INPUT_STREAM, "sync"),
                chatCall(Scenario.TRUNCATED, usage, "gpt-4o", "off", HandlerKind.BYTES, "async"));

        ForkedJvm.Result withAgent = runApp(true, calls);
        ForkedJvm.Result withoutAgent = runApp(false, calls);

        assertThat(withoutAgent.stdoutLines()).as(withoutAgent.describe()).filteredOn(line -> line.startsWith("error="))
                .containsExactly("error=" + IOException.class.getName(), "error=" + IOException.class.getName());
        assertThat(withAgent.exitCode()).as(withAgent.describe()).isZero();
        assertThat(withAgent.stdoutLines()).as(withAgent.describe()).isEqualTo(withoutAgent.stdoutLines());
    }

    /**
     * A stream cut mid-event: a program reading it with {@code ofInputStream} or {@code ofLines} gets every
     * byte the provider sent before the cut, then the {@code IOException}, exactly as without the agent; also
     * when the agent asked the stream for its usage and its filter holds the event not yet ended. Each cut is
     * read three times per program, one cut inside an event's JSON, one between its data line and blank line.
     */
    @Test
    void aStreamCutMidEventReachesTheProgramWholeBeforeTheFailureWithAndWithoutTheAgent() throws IOException {
        FakeUsage usage = new FakeUsage(700, 0, 70, 0);
        List<byte[]> events = ChatResponses.streamEvents("gpt-4o", null);
        int twoEvents = events.get(0).length + events.get(1).length;
        int[] cuts = {twoEvents + events.get(2).length / 2, twoEvents + events.get(2).length - 1};
        byte[] plain = ChatResponses.streamBody("gpt-4o", null);
        byte[] asked = ChatResponses.streamBody("gpt-4o", usage);
        List<List<String>> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int cut : cuts) {
                assertThat(Arrays.copyOf(asked, cut)).as("the same bytes whether usage was asked for or not")
                        .isEqualTo(Arrays.copyOf(plain, cut));
                for (HandlerKind handler : List.of(HandlerKind.INPUT_STREAM, HandlerKind.LINES)) {
                    calls.add(List.of("url=" + server.openAiBaseUrlCutAfter(cut, usage) + "/chat/completions",
                            "chat=gpt-4o", "stream=no-usage", "handler=" + handler.argName(), "mode=sync"));
                    // ofLines gives the lines that ended before the cut
                    int read = handler == HandlerKind.INPUT_STREAM ? cut : lastLineEnd(plain, cut);
                    expected.addAll(List.of("status=200", "first-event", "bytes-before-failure=" + read,
                            "error=" + IOException.class.getName()));
                }
            }
        }

        ForkedJvm.Result filtered = runApp(true, calls);
        ForkedJvm.Result teeOnly = ForkedJvm.in(Files.createDirectories(workDir.resolve("tee-only")))
                .mainClass(JdkHttpClientApp.class).calls(calls).run();
        ForkedJvm.Result withoutAgent = runApp(false, calls);

        assertThat(withoutAgent.stdoutLines()).as(withoutAgent.describe()).containsExactlyElementsOf(expected);
        assertThat(filtered.stdoutLines()).as("the agent asked for usage: filtered\n%s", filtered.describe())
                .containsExactlyElementsOf(expected);
        assertThat(teeOnly.stdoutLines()).as("a host not opted in: tee only\n%s", teeOnly.describe())
                .containsExactlyElementsOf(expected);
        for (ForkedJvm.Result run : List.of(filtered, teeOnly)) {
            List<JsonNode> ledger = run.ledger();
            assertThat(ledger).as(run.describe()).hasSize(calls.size());
            for (JsonNode event : ledger) {
                // cut before any usage: the estimate of the app's streamed gpt-4o body (no max_tokens)
                assertThat(event.path("costMicrodollars").asLong()).as("%s", event).isEqualTo(180_282);
                assertThat(event.path("tags").path("_ns_cancelled").asText()).as("%s", event).isEqualTo("true");
            }
        }
    }

    /** The length of {@code bytes}' first {@code length} bytes up to and with their last {@code \n}. */
    private static int lastLineEnd(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** Control for the agent case below: the harness, the program and the gate prove streaming on their own. */
    @Test
    @ResourceLock(GATE)
    void gatedStreamReachesTheProgramEventByEventWithoutTheAgent() {
        FakeUsage usage = new FakeUsage(2500, 500, 250, 0);

        GatedRun gated = runGated(false, HandlerKind.LINES, usage);

        assertStreamedThrough(gated, HandlerKind.LINES, usage);
    }

    @ParameterizedTest
    @EnumSource(value = HandlerKind.class, names = {"INPUT_STREAM", "LINES", "SUBSCRIBER"})
    @ResourceLock(GATE)
    void programReadsTheFirstEventBeforeTheProviderSendsTheLast(HandlerKind handler) {
        FakeUsage usage = new FakeUsage(2500 + handler.ordinal(), 500, 250, 0);

        GatedRun gated = runGated(true, handler, usage);

        assertStreamedThrough(gated, handler, usage);
        assertSingleExactOpenAiEvent(gated.run(), "gpt-4o", usage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "usage"})
    void parserFaultLeavesTheProgramUntouchedAndEstimatesTheEvent(String stream) {
        FakeUsage usage = new FakeUsage(640, 0, 64, 0);

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(JdkHttpClientApp.class)
                .systemProperty("nullspend.internal.fault", "parser")
                .args(chatCall(Scenario.OK, usage, "gpt-4o-mini", stream, HandlerKind.INPUT_STREAM, "sync").toArray(String[]::new))
                .run();

        byte[] sent = stream.equals("off")
                ? ChatResponses.completion("gpt-4o-mini", usage) : ChatResponses.streamBody("gpt-4o-mini", usage);
        assertReceived(run, List.of(new Received(HandlerKind.INPUT_STREAM, sent)));
        assertThat(run.agentLines()).as(run.describe())
                .filteredOn(line -> line.startsWith(ForkedJvm.AGENT_LOG_PREFIX + "WARN")).hasSize(1);
        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize(1);
        assertEstimatedOpenAiEvent(events.get(0), run, "gpt-4o-mini");
    }

    /** What one call of the program must have received, as its handler presents it. */
    private record Received(HandlerKind handler, byte[] sent) {

        /** What the program hashes: the bytes, except that {@code lines} ends every line with {@code \n}. */
        String expectedSha() {
            if (handler != HandlerKind.LINES || sent.length == 0 || sent[sent.length - 1] == '\n') {
                return Sha256.hex(sent);
            }
            byte[] terminated = new byte[sent.length + 1];
            System.arraycopy(sent, 0, terminated, 0, sent.length);
            terminated[sent.length] = '\n';
            return Sha256.hex(terminated);
        }
    }

    /** A gated run of {@link JdkHttpClientApp}: the program streamed it through and got the provider's bytes. */
    private static void assertStreamedThrough(GatedRun gated, HandlerKind handler, FakeUsage usage) {
        assertReceived(gated.run(), List.of(new Received(handler, ChatResponses.streamBody("gpt-4o", usage))));
        gated.assertProgramReadTheFirstEventFirst();
    }

    private GatedRun runGated(boolean agent, HandlerKind handler, FakeUsage usage) {
        return GatedRun.run(server, ForkedJvm.in(workDir).agent(agent).mainClass(JdkHttpClientApp.class)
                .args(chatCall(Scenario.GATED, usage, "gpt-4o", "usage", handler, "sync").toArray(String[]::new)));
    }

    // Enforcement: the guard decides in LlmCalls.begin, before the client writes a byte.

    /** The estimate of the app's gpt-4o body (70 bytes → 18 tokens, no max_tokens → 16,384): 180,274 µ$. */
    private static final String GPT_4O_ESTIMATE_USD = "$0.180274";

    @Test
    void aCallPastTheBudgetIsDeniedBeforeItIsSentSyncAndAsync() {
        FakeUsage usage = new FakeUsage(1001, 0, 11, 0);
        String path = URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();

        ForkedJvm.Result run = runApp(true, List.of(
                chatCall(Scenario.OK, usage, "gpt-4o", "off", HandlerKind.BYTES, "sync"),
                chatCall(Scenario.OK, usage, "gpt-4o", "usage", HandlerKind.LINES, "async")),
                Map.of("nullspend.budget.limit-usd", "0.10"));

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "error=dev.nullspend.api.BudgetExceededException", "error=dev.nullspend.api.BudgetExceededException");
        assertThat(server.requestCount(path)).as("nothing reached the provider; %s", server.requestCounts()).isZero();
        assertThat(run.ledger()).as(run.describe()).isEmpty();
        assertThat(run.agentLines()).as(run.describe()).contains("[nullspend] WARN denied a call: Budget exceeded on"
                + " user/process: this call may cost up to " + GPT_4O_ESTIMATE_USD + " but only $0.10 of the $0.10 limit"
                + " is left ($0.00 spent). Raise nullspend.budget.limit-usd. See"
                + " https://nullspend.dev/docs/errors/budget-exceeded (later budget_exceeded denials reach the program"
                + " without a log line)");
    }

    /** docs/nullspend-api-contract.md#loop-detection-fixtures: a detected loop leaves the upstream call count at 1. */
    @Test
    void theSecondIdenticalCallWithLoopMaxTwoIsALoopAndNeverReachesTheProvider() {
        FakeUsage usage = new FakeUsage(1002, 0, 12, 0);
        String path = URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();
        List<String> call = chatCall(Scenario.OK, usage, "gpt-4o", "off", HandlerKind.BYTES, "sync");

        ForkedJvm.Result run = runApp(true, List.of(call, call), Map.of("nullspend.loop.max-calls", "2"));

        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> !line.startsWith("sha256="))
                .containsExactly("status=200", "bytes=" + ChatResponses.completion("gpt-4o", usage).length,
                        "error=dev.nullspend.api.LoopDetectedException");
        assertThat(server.requestCount(path)).as(server.requestCounts().toString()).isEqualTo(1);
        assertSingleExactOpenAiEvent(run, "gpt-4o", usage);
    }

    @Test
    void spendOfEarlierRunsInTheLedgerCountsAfterARestart() {
        // 1,000 × $2.50 + 10,000 × $10.00 per MTok = 102,500 µ$; a second call's estimate no longer fits in $0.25
        FakeUsage usage = new FakeUsage(1000, 0, 10_000, 0);
        String path = URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();
        List<List<String>> call = List.of(chatCall(Scenario.OK, usage, "gpt-4o", "off", HandlerKind.BYTES, "sync"));
        Map<String, String> budget = Map.of("nullspend.budget.limit-usd", "0.25");

        ForkedJvm.Result first = runApp(true, call, budget);
        ForkedJvm.Result second = runApp(true, call, budget);

        assertThat(first.stdoutLines()).as(first.describe()).contains("status=200");
        assertThat(second.stdoutLines()).as(second.describe()).containsExactly("error=dev.nullspend.api.BudgetExceededException");
        assertThat(second.agentLines()).as(second.describe()).contains("[nullspend] budget user/process: $0.1025 of $0.25"
                + " already spent (from " + second.ledgerFile() + ")");
        assertThat(server.requestCount(path)).as(server.requestCounts().toString()).isEqualTo(1);
        assertThat(second.ledger()).as(second.describe()).hasSize(1);
        assertThat(second.ledger().get(0).path("costMicrodollars").asLong()).isEqualTo(102_500);
    }

    @Test
    void dryRunLetsTheCallGoOnAndTagsItsEvent() {
        FakeUsage usage = new FakeUsage(1003, 0, 13, 0);

        ForkedJvm.Result run = runApp(true, List.of(chatCall(Scenario.OK, usage, "gpt-4o", "off", HandlerKind.BYTES, "sync")),
                Map.of("nullspend.budget.limit-usd", "0.10", "nullspend.enforcement", "dry-run"));

        assertReceived(run, List.of(new Received(HandlerKind.BYTES, ChatResponses.completion("gpt-4o", usage))));
        assertThat(run.ledger()).as(run.describe()).hasSize(1);
        assertThat(run.ledger().get(0).path("tags").path("_ns_dry_run").asText()).isEqualTo("budget_exceeded");
        assertThat(run.agentLines()).as(run.describe()).anyMatch(line -> line.startsWith("[nullspend] WARN dry-run, the"
                + " call goes on; enforcement would deny it: Budget exceeded on user/process: this call may cost up to "
                + GPT_4O_ESTIMATE_USD));
    }

    // Request bodies the client cannot hand over twice: read ahead once for recognition, sent as the program's bytes.

    /** {@link JdkDriver}'s bodies other than {@code ofByteArray}; the first and the third have no length (chunked). */
    private static final List<String> BODY_KINDS = List.of("publisher", "publisher-sized", "input-stream", "file", "concat");

    private static boolean chunked(String bodyKind) {
        return bodyKind.equals("publisher") || bodyKind.equals("input-stream");
    }

    /**
     * To the fake provider's address, a custom base URL where only the body tells a chat request from any
     * other POST: every body kind on {@code send} and {@code sendAsync}, plain and streamed, is recognised
     * and costed exactly; the provider receives each body exactly as the program built it, framed as it
     * was (no length: chunked); a stream asked for its usage by the agent keeps its framing too.
     */
    @Test
    void everyRequestBodyKindIsCostedExactlyAndReachesTheProviderAsTheProgramSentIt() {
        List<Call> calls = new ArrayList<>();
        List<ExpectedCall> expected = new ArrayList<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        int n = 0;
        for (String kind : BODY_KINDS) {
            for (Way way : ways()) {
                for (String stream : List.of("off", "usage", "no-usage")) {
                    String model = MODELS[n % MODELS.length];
                    FakeUsage usage = new FakeUsage(5001 + 97L * n, 128L * (n % 3), 401 + 13L * n, model.equals("o3") ? 57 : 0);
                    Call call = chat(Scenario.OK, usage, model, stream, way, stream.equals("off") ? "whole" : "streamed",
                            "body=" + kind);
                    calls.add(call);
                    expected.add(new ExpectedCall(model, usage));
                    // no-usage: the agent asks for the usage; the bytes change, their framing must not
                    bodies.put(call.path(), stream.equals("no-usage") ? (chunked(kind) ? "chunked " : "length ")
                            : FakeProviderServer.describeBody(chunked(kind),
                                    ClientApp.chatBody(model, stream).getBytes(StandardCharsets.UTF_8)));
                    n++;
                }
            }
        }

        ForkedJvm.Result run = program(true, calls).run();

        assertResults(run, calls);
        assertExactOpenAiEvents(run, expected);
        assertSentOncePerRun(calls, 1);
        bodies.forEach((path, body) -> assertThat(server.requestBody(path)).as("%s\n%s", path, run.describe())
                .startsWith(body));
        assertThat(run.agentLines()).as(run.describe()).noneMatch(line -> line.contains("WARN"));
    }

    /** A budget of $0.001 denies every body kind, on both ways, before any byte reaches the provider. */
    @Test
    void aBudgetOfATenthOfACentDeniesEveryRequestBodyKindBeforeAnyByte() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (String kind : BODY_KINDS) {
            for (Way way : ways()) {
                calls.add(denied(chat(Scenario.OK, new FakeUsage(6001 + n++, 0, 10, 0), "gpt-4o", "off", way, "whole",
                        "body=" + kind)));
            }
        }

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.budget.limit-usd", "0.001").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = results(run);
        assertThat(results).as(run.describe()).hasSameSizeAs(calls);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(results.get(i).path("error").asText()).as("call %d\n%s", i, run.describe())
                    .isEqualTo("dev.nullspend.api.BudgetExceededException");
            assertThat(results.get(i).path("denial").path("code").asText()).isEqualTo("budget_exceeded");
            assertThat(server.requestCount(calls.get(i).path())).as("nothing sent; %s", server.requestCounts()).isZero();
        }
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    /**
     * A chat body over 4 MiB (a 4.3 MB {@code user}), from a publisher and from a file, on both ways: with
     * fail-mode open the provider receives exactly the program's bytes, the agent says so once and counts
     * every such call in the summary, and the call is costed (its first 4 MiB show the request's shape); with
     * fail-mode closed each is denied before any byte.
     */
    @Test
    void aBodyOverFourMebibytesGoesOutWholeIsLoggedOnceCountedAndFailClosedDeniesIt() throws IOException {
        int pad = 4_300_000;
        List<Call> calls = new ArrayList<>();
        List<ExpectedCall> expected = new ArrayList<>();
        Map<String, String> bodies = new LinkedHashMap<>();
        int n = 0;
        for (String kind : List.of("publisher", "file")) {
            for (Way way : ways()) {
                FakeUsage usage = new FakeUsage(7001 + n++, 0, 21, 0);
                Call call = chat(Scenario.OK, usage, "gpt-4o-mini", "off", way, "whole", "body=" + kind, "max-tokens=100",
                        "pad=" + pad);
                calls.add(call);
                expected.add(new ExpectedCall("gpt-4o-mini", usage));
                bodies.put(call.path(), FakeProviderServer.describeBody(chunked(kind),
                        ClientApp.chatBody("gpt-4o-mini", 100, "u".repeat(pad)).getBytes(StandardCharsets.UTF_8)));
            }
        }

        ForkedJvm.Result open = program(true, calls).run();

        assertResults(open, calls);
        bodies.forEach((path, body) -> assertThat(server.requestBody(path)).as("%s\n%s", path, open.describe())
                .isEqualTo(body));
        assertThat(open.agentLines()).as(open.describe()).filteredOn(line -> line.contains("request body of a possible LLM call"))
                .containsExactly("[nullspend] WARN the request body of a possible LLM call (POST 127.0.0.1"
                        + calls.get(0).path() + ", java.net.http) was larger than 4 MiB: such calls go on with the program's"
                        + " bytes, costed only if recognised from what was read (counted in the summary)");
        assertThat(open.agentLines()).as(open.describe()).contains("[nullspend] WARN NullSpend summary: 4 request bodies"
                + " of possible LLM calls could not be read whole before sending: 4 larger than 4 MiB");
        // the first 4 MiB have the chat request's shape: recognised, and costed from the response's usage
        assertExactOpenAiEvents(open, expected);

        ForkedJvm.Result closed = program(true, calls).systemProperty("nullspend.fail-mode", "closed").run();

        List<JsonNode> results = results(closed);
        assertThat(results).as(closed.describe()).hasSize(4);
        for (JsonNode result : results) {
            assertThat(result.path("denial").path("code").asText()).as(closed.describe()).isEqualTo("budget_unavailable");
        }
        for (Call call : calls) {
            assertThat(server.requestCount(call.path())).as("only the open run sent it; %s", server.requestCounts()).isEqualTo(1);
        }
        assertThat(closed.ledger()).as("the open run's lines only\n%s", closed.describe()).isEqualTo(open.ledger());
    }

    /**
     * A body whose publisher never completes (half of it, then nothing), with fail-mode closed: after
     * {@code nullspend.request-body.wait-ms} (here 0) the call is denied before any byte, on {@code send} and on
     * {@code sendAsync}, logged once and counted; the program's publisher is cancelled, so nothing waits on it.
     */
    @Test
    void aBodyThatNeverCompletesIsDeniedWithFailModeClosedBeforeAnyByte() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            calls.add(denied(chat(Scenario.OK, new FakeUsage(8001 + n++, 0, 10, 0), "gpt-4o", "off", way, "whole",
                    "body=stalled")));
        }

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.fail-mode", "closed")
                .systemProperty("nullspend.request-body.wait-ms", "0").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = results(run);
        assertThat(results).as(run.describe()).hasSize(2);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(results.get(i).path("denial").path("message").asText()).as(run.describe()).isEqualTo("Request body"
                    + " unread: the NullSpend agent could not read this call's request body before sending (not complete"
                    + " within nullspend.request-body.wait-ms), so it cannot check it, and nullspend.fail-mode=closed denies"
                    + " LLM calls it cannot check.");
            assertThat(server.requestCount(calls.get(i).path())).as("nothing sent; %s", server.requestCounts()).isZero();
        }
        assertThat(run.agentLines()).as(run.describe()).filteredOn(line -> line.contains("request bodies") || line.contains(
                "request body of")).containsExactly("[nullspend] WARN the request body of a possible LLM call (POST 127.0.0.1"
                + calls.get(0).path() + ", java.net.http) was not complete within nullspend.request-body.wait-ms:"
                + " nullspend.fail-mode=closed denies such calls (counted in the summary)",
                "[nullspend] WARN NullSpend summary: 2 request bodies of possible LLM calls could not be read whole before"
                        + " sending: 2 not complete within nullspend.request-body.wait-ms");
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    /** The {@link JdkHttpClientApp} arguments of one chat completion call. */
    private List<String> chatCall(Scenario scenario, FakeUsage usage, String model, String stream,
                                         HandlerKind handler, String mode) {
        return List.of("url=" + server.chatCompletionsUrl(scenario, usage), "chat=" + model, "stream=" + stream,
                "handler=" + handler.argName(), "mode=" + mode);
    }

    private ForkedJvm.Result runCall(boolean agent, List<String> call) {
        return runApp(agent, List.of(call));
    }

    /** Runs {@link JdkHttpClientApp} with the calls, in order, separated by {@code --}. */
    private ForkedJvm.Result runApp(boolean agent, List<List<String>> calls) {
        return runApp(agent, calls, Map.of());
    }

    /** The same, with agent settings as system properties. */
    private ForkedJvm.Result runApp(boolean agent, List<List<String>> calls, Map<String, String> settings) {
        ForkedJvm.Builder jvm = ForkedJvm.in(workDir).agent(agent).mainClass(JdkHttpClientApp.class)
                .systemProperty(INCLUDE_USAGE_HOSTS, "127.0.0.1:" + server.port());
        settings.forEach(jvm::systemProperty);
        return jvm.calls(calls).run();
    }

    /** Exit 0, and for each call in order HTTP 200 and the exact bytes the provider sent. */
    private static void assertReceived(ForkedJvm.Result run, List<Received> calls) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).filteredOn(line -> line.startsWith("status="))
                .containsExactlyElementsOf(calls.stream().map(c -> "status=200").toList());
        assertThat(run.stdoutLines()).as("SHA-256 of each body the program received\n%s", run.describe())
                .filteredOn(line -> line.startsWith("sha256="))
                .containsExactlyElementsOf(calls.stream().map(c -> "sha256=" + c.expectedSha()).toList());
    }

    private static void assertAgentStarted(ForkedJvm.Result run) {
        assertThat(run.agentLines()).as("the agent was active, so 'no ledger line' means something\n%s", run.describe())
                .anyMatch(line -> line.contains("started"));
    }
}
