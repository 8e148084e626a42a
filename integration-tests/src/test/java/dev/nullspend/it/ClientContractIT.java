package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.JdkDriver;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.DeterministicBytes;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeNullSpendProxy;
import dev.nullspend.it.fake.FakeNullSpendProxy.Denial;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.GatedRun;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What every HTTP client under the agent must do, in forked JVMs running {@link ClientApp}: a client's
 * test extends this class and names its {@link ClientDriver}, its ways of calling and (optionally) its
 * class path; it inherits every case below and adds only what is its own. Each case batches many calls
 * into one or two child JVMs (JVM starts dominate the time), each call with its own usage numbers so that
 * its path at the provider and its ledger event are its own.
 *
 * <p>A case that cannot apply to a client is opted out by the subclass in {@link #notApplicable()}, with
 * the reason, which the skipped test reports.
 */
@ExtendWith(FakeServers.class)
abstract class ClientContractIT {

    /** A release lets every waiting gated response go: gated tests must not overlap. */
    protected static final String GATE = "fake-provider-gate";
    protected static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o3"};
    /** What {@code chat=gpt-4o} posts (stream off): echoed back by {@code /echo}. */
    protected static final byte[] CHAT_SHAPED_BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** The contract's cases, for {@link #notApplicable()}. */
    protected enum Case { EXACT_AND_UNTOUCHED, STREAMED_THROUGH, DENIALS_AND_SCOPES, PROXY_MODE, STACKED }

    /**
     * One way of calling the client.
     *
     * @param mode          the driver's {@code mode=}
     * @param denialCarrier the class of what the program gets on a denial when it is not the typed denial
     *                      itself (the client allows only an {@code IOException}, or a future wraps failures); null
     */
    protected record Way(String mode, String denialCarrier) {
    }

    @TempDir
    protected Path workDir;
    protected Fakes fakes;
    protected FakeProviderServer server;

    private final Class<? extends ClientDriver> driver;
    private final List<Way> ways;

    /** A subclass that overrides {@link #driver()} and {@link #ways()}. */
    protected ClientContractIT() {
        this(null, null);
    }

    /** A subclass whose driver and ways of calling are fixed. */
    protected ClientContractIT(Class<? extends ClientDriver> driver, List<Way> ways) {
        this.driver = driver;
        this.ways = ways;
    }

    @BeforeEach
    void fakes(Fakes classFakes) {
        fakes = classFakes;
        server = classFakes.provider();
    }

    /** The driver the program calls through. */
    protected Class<? extends ClientDriver> driver() {
        return driver;
    }

    /** Every way of calling the client; the first is its plain synchronous call. */
    protected List<Way> ways() {
        return ways;
    }

    /** The program's class path; null: this JVM's test class path. */
    protected List<Path> classPath() {
        return null;
    }

    /** The driver's own options for every call of the proxy-mode case (e.g. a client that does not retry a 429 itself). */
    protected List<String> proxyModeOptions() {
        return List.of();
    }

    /**
     * The other client the stacked case interleaves with this one in the same JVM, called {@code sync}: by
     * default {@code java.net.http}.
     */
    protected Class<? extends ClientDriver> otherClient() {
        return JdkDriver.class;
    }

    /** The cases that cannot apply to this client, each with the reason. */
    protected Map<Case, String> notApplicable() {
        return Map.of();
    }

    /**
     * Chat completions plain and streamed (with {@code include_usage}, and without: the agent asks for the
     * usage and hides the usage chunk from the program), read whole and as it arrives, on every way of
     * calling; gzip; calls that are no LLM calls (a GET, binary and chat-shaped POSTs to another path);
     * provider errors; a body that is not JSON and a stream cut off after its first half. One exact ledger
     * event per LLM call that succeeded, an estimated one per faulty body, none for the rest; each call sent
     * once; the program prints exactly the same with and without the agent (the same bytes, or the same
     * exception).
     */
    @Test
    void llmCallsAreCostedExactlyAndEveryCallReachesTheProgramAsWithoutTheAgent() {
        applies(Case.EXACT_AND_UNTOUCHED);
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            List<Call> exact = exactChats(way, n, 4001, 311);
            calls.addAll(exact);
            n += exact.size();
            calls.add(chat(Scenario.GZIP, new FakeUsage(7700 + n, 1024, 333, 0), "gpt-4o", "off", way, "whole"));
            calls.add(chat(Scenario.GZIP, new FakeUsage(7800 + n, 1024, 334, 0), "gpt-4o", "usage", way, "streamed"));
            calls.add(chat(Scenario.HTTP_500, new FakeUsage(9001 + n, 0, 100, 0), "gpt-4o", "off", way, "whole"));
            calls.add(chat(Scenario.HTTP_500, new FakeUsage(9101 + n, 0, 100, 0), "gpt-4o", "usage", way, "streamed"));
            calls.add(new Call(args(way, "streamed", "url=" + server.dataUrl(1_000_003)), 200, DeterministicBytes.of(1_000_003), null));
            calls.add(new Call(args(way, "whole", "url=" + server.echoUrl(), "post=70001"), 200, DeterministicBytes.of(70001), null));
            calls.add(new Call(args(way, "whole", "url=" + server.echoUrl(), "chat=gpt-4o"), 200, CHAT_SHAPED_BODY, null));
            calls.add(chat(Scenario.MALFORMED, new FakeUsage(12 + n, 0, 5, 0), "gpt-4o-mini", "off", way, "whole"));
            calls.add(chat(Scenario.TRUNCATED, new FakeUsage(900 + n, 0, 90, 0), "gpt-4o", "usage", way, "streamed"));
            n++;
        }
        int dataBefore = server.requestCount("/data/1000003");

        ForkedJvm.Result withAgent = program(true, calls).run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
        List<JsonNode> events = withAgent.ledger();
        List<JsonNode> estimated = events.stream().filter(e -> e.path("tags").path("_ns_estimated").asText().equals("true"))
                .toList();
        assertExactOpenAiEvents(withAgent, events.stream().filter(e -> !estimated.contains(e)).toList(),
                calls.stream().filter(c -> c.event() != null).map(Call::event).toList());
        for (JsonNode event : estimated) {
            assertEstimatedOpenAiEvent(event, withAgent, event.path("model").asText());
        }
        assertThat(estimated).as("the faulty bodies, billed at their estimates\n%s", withAgent.describe())
                .extracting(e -> e.path("model").asText())
                .containsExactlyInAnyOrderElementsOf(calls.stream().filter(c -> c.estimatedModel() != null)
                        .map(Call::estimatedModel).toList());
        assertSentOncePerRun(calls, 2);
        assertThat(server.requestCount("/data/1000003") - dataBefore).as("%s", server.requestCounts())
                .isEqualTo(2 * ways().size());
    }

    /**
     * The provider holds back everything after the first SSE event until the program has read it: the
     * program gets the stream as it arrives, through the agent, and the call's exact event.
     */
    @Test
    @ResourceLock(GATE)
    void programReadsTheFirstEventBeforeTheProviderSendsTheLast() {
        applies(Case.STREAMED_THROUGH);
        FakeUsage usage = new FakeUsage(2600, 512, 260, 0);
        Call call = chat(Scenario.GATED, usage, "gpt-4o", "usage", ways().get(0), "streamed");

        GatedRun gated = GatedRun.run(server, program(true, List.of(call)));

        assertResults(gated.run(), List.of(call));
        gated.assertProgramReadTheFirstEventFirst();
        assertSingleExactOpenAiEvent(gated.run(), "gpt-4o", usage);
    }

    /**
     * On every way of calling, with a budget of $0.10, a customer budget of 1,000 µ$ for {@code acme}, at most
     * two identical calls and the models {@code gpt-4o} and {@code gpt-4o-mini} only: a call whose estimate
     * passes the budget, a call inside {@code acme}'s scope, the second of two identical calls and an
     * {@code o3} call are each denied with their typed exception (or the way's carrier of it) before a byte
     * is sent; an admitted call inside the scope of customer {@code beta} is billed exactly to {@code beta},
     * although asynchronous clients run the call on their own threads.
     */
    @Test
    void everyDenialReachesTheProgramBeforeAnyByteAndScopesFollowTheCall() throws IOException {
        applies(Case.DENIALS_AND_SCOPES);
        Path budgets = workDir.resolve("budgets.json");
        Files.writeString(budgets, "[{\"entityType\":\"customer\",\"entityId\":\"acme\",\"maxBudgetMicrodollars\":1000}]");
        List<Call> calls = new ArrayList<>();
        List<String> deniedCodes = new ArrayList<>();
        List<ExpectedCall> billed = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            String user = "user=" + way.mode();
            FakeUsage scoped = new FakeUsage(3101 + n, 0, 10, 0);
            calls.add(chat(Scenario.OK, scoped, "gpt-4o", "off", way, "whole", "max-tokens=100", user, "customer=beta"));
            billed.add(new ExpectedCall("gpt-4o", scoped));
            FakeUsage looped = new FakeUsage(3201 + n, 0, 10, 0);
            calls.add(chat(Scenario.OK, looped, "gpt-4o", "off", way, "whole", "max-tokens=100", user + "-loop"));
            billed.add(new ExpectedCall("gpt-4o", looped));
            calls.add(denied(chat(Scenario.OK, looped, "gpt-4o", "off", way, "whole", "max-tokens=100", user + "-loop")));
            deniedCodes.add("loop_detected");
            calls.add(denied(chat(Scenario.OK, new FakeUsage(3301 + n, 0, 10, 0), "gpt-4o", "usage", way, "streamed", user)));
            deniedCodes.add("budget_exceeded");
            calls.add(denied(chat(Scenario.OK, new FakeUsage(3401 + n, 0, 10, 0), "gpt-4o", "off", way, "whole",
                    "max-tokens=100", user + "-acme", "customer=acme")));
            deniedCodes.add("budget_exceeded");
            calls.add(denied(chat(Scenario.OK, new FakeUsage(3501 + n, 0, 10, 0), "o3", "off", way, "whole",
                    "max-tokens=100", user)));
            deniedCodes.add("mandate_violation");
            n++;
        }

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.budget.limit-usd", "0.10")
                .systemProperty("nullspend.budgets-file", budgets.toString())
                .systemProperty("nullspend.loop.max-calls", "2")
                .systemProperty("nullspend.allowed-models", "gpt-4o,gpt-4o-mini").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stderrLines()).as("no exception escaped to a thread\n%s", run.describe())
                .noneMatch(line -> line.startsWith("Exception in thread"));
        List<JsonNode> results = results(run);
        assertThat(results).as(run.describe()).hasSameSizeAs(calls);
        int d = 0;
        for (int i = 0; i < calls.size(); i++) {
            JsonNode result = results.get(i);
            Call call = calls.get(i);
            if (call.status() != 0) {
                assertThat(result.path("status").asInt()).as("call %d: %s\n%s", i, result, run.describe()).isEqualTo(200);
                continue;
            }
            Way way = ways().stream().filter(w -> w.mode().equals(result.path("mode").asText())).findFirst().orElseThrow();
            String code = deniedCodes.get(d++);
            assertThat(result.path("denial").path("code").asText()).as("call %d: %s\n%s", i, result, run.describe())
                    .isEqualTo(code);
            assertThat(result.path("error").asText()).as("call %d: what the program got\n%s", i, run.describe())
                    .isEqualTo(way.denialCarrier() != null ? way.denialCarrier() : result.path("denial").path("class").asText());
            if (call.path() != null && !code.equals("loop_detected")) {
                assertThat(server.requestCount(call.path())).as("call %d: nothing sent; %s", i, server.requestCounts()).isZero();
            }
        }
        assertSentOncePerRun(calls.stream().filter(c -> c.status() != 0).toList(), 1);
        assertExactOpenAiEvents(run, billed);
        assertThat(run.ledger()).as(run.describe()).extracting(e -> e.path("customer").asText(""))
                .containsExactlyInAnyOrderElementsOf(billed.stream()
                        .map(b -> b.usage().promptTokens() < 3200 ? "beta" : "").toList());
    }

    /**
     * One call is one event when instrumentations stack: the fake provider's host named an OpenAI host, so
     * the socket watch sees every connection to it as an LLM connection and must find each one to be a
     * costing client's; on every way of calling, a plain and a streamed chat through this client, each
     * followed by one through {@link #otherClient()} in the same JVM. Exactly one exact event per call, each
     * call sent once, and nothing said or counted as not costed.
     */
    @Test
    void oneCallIsOneEventUnderTheSocketWatchBesideAnotherClient() {
        applies(Case.STACKED);
        List<Call> calls = new ArrayList<>();
        // per way of calling: a plain call read whole (n even), a streamed one read as it arrives (n odd)
        for (int n = 0; n < 2 * ways().size(); n++) {
            String stream = n % 2 == 0 ? "off" : "usage";
            String read = n % 2 == 0 ? "whole" : "streamed";
            Way way = ways().get(n / 2);
            calls.add(chat(Scenario.OK, new FakeUsage(7401 + 97L * n, 0, 44 + n, 0), "gpt-4o-mini", stream, way, read));
            Call other = chat(Scenario.OK, new FakeUsage(7451 + 97L * n, 0, 45 + n, 0), "gpt-4o", stream, way, read);
            List<String> args = new ArrayList<>(other.args());
            args.set(0, "driver=" + otherClient().getSimpleName());
            args.set(1, "mode=sync");
            calls.add(new Call(args, other.status(), other.body(), other.event()));
        }

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.providers.extra-hosts", "openai=127.0.0.1").run();

        assertResults(run, calls);
        assertExactOpenAiEvents(run, calls.stream().map(Call::event).toList());
        assertSentOncePerRun(calls, 1);
        assertThat(run.agentLines()).as("the watch placed every connection\n%s", run.describe())
                .noneMatch(line -> line.contains("not costed"));
    }

    /**
     * {@code nullspend.proxy-url} (docs/nullspend-api-contract.md#denials, #proxy-headers) on every way of calling: calls
     * to the proxy carry the attribution headers of their scope and are not costed by the agent; no other
     * origin sees those headers, and its calls are costed; every denial of the proxy reaches the program as
     * its typed exception with the proxy's figures; its other answers (a 429 without the denied header, a plan
     * limit) reach the program untouched.
     */
    @Test
    void proxyModeCarriesTheScopeAndTurnsTheProxysDenialsIntoTypedExceptions() {
        applies(Case.PROXY_MODE);
        FakeNullSpendProxy proxy = fakes.proxy();
        FakeNullSpendProxy elsewhere = fakes.otherOrigin();
        List<String> scope = List.of("session=sess-42", "customer=acme", "trace=" + TRACE, "tags=env:prod;feature:chat");
        List<Denial> denials = List.of(Denial.BUDGET, Denial.CUSTOMER_BUDGET, Denial.TAG_BUDGET, Denial.VELOCITY,
                Denial.SESSION, Denial.LOOP, Denial.MANDATE);
        List<List<String>> calls = new ArrayList<>();
        for (Way way : ways()) {
            calls.add(join(args(way, "whole", "url=" + proxy.chatUrl(), "chat=gpt-4o-mini"), scope));
            calls.add(join(args(way, "whole", "url=" + elsewhere.chatUrl(), "chat=gpt-4o-mini"), scope));
            calls.add(join(args(way, "whole", "url=" + proxy.chatUrl(), "chat=gpt-4o-mini",
                    "header=X-NullSpend-Session:the-programs-own"), scope));
            calls.add(join(args(way, "whole", "url=" + proxy.chatUrl(), "chat=gpt-4o-mini",
                    "header=traceparent:00-" + TRACE + "-b7ad6b7169203331-01"), scope));
            for (Denial denial : denials) {
                calls.add(args(way, "whole", "url=" + proxy.chatUrl(denial), "chat=gpt-4o-mini"));
            }
            for (Denial answer : List.of(Denial.RATE_LIMITED, Denial.PLAN_LIMIT)) {
                calls.add(args(way, "string", "url=" + proxy.chatUrl(answer), "chat=gpt-4o-mini"));
            }
        }

        calls.replaceAll(call -> join(call, proxyModeOptions()));

        ForkedJvm.Result run = program(calls).systemProperty("nullspend.proxy-url", proxy.origin())
                .systemProperty("nullspend.api-key", FakeNullSpendApi.TEST_KEY)
                .systemProperty("nullspend.base-url", fakes.api().baseUrl())
                .systemProperty("nullspend.tags", "team=search,_ns_internal=1").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = results(run);
        assertThat(results).as(run.describe()).hasSize(calls.size());
        Map<String, String> scopeHeaders = Map.of("x-nullspend-key", FakeNullSpendApi.TEST_KEY,
                "nullspend-version", "2026-04-01", "x-nullspend-trace-id", TRACE, "x-nullspend-session", "sess-42",
                "x-nullspend-customer", "acme",
                "x-nullspend-tags", "{\"env\":\"prod\",\"feature\":\"chat\",\"team\":\"search\"}");
        int perWay = 4 + denials.size() + 2;
        List<Map<String, String>> atProxy = proxy.requestHeaders();
        assertThat(atProxy).as("each call to the proxy sent once").hasSize(ways().size() * (perWay - 1));
        for (int w = 0; w < ways().size(); w++) {
            Way way = ways().get(w);
            int first = w * perWay;
            int firstAtProxy = w * (perWay - 1);
            String context = way + "\n" + run.describe();
            for (int i = first; i < first + 4; i++) {
                assertThat(results.get(i).path("status").asInt()).as(context).isEqualTo(200);
                assertThat(results.get(i).path("sha256").asText()).as(context).isEqualTo(Sha256.hex(FakeNullSpendProxy.COMPLETION));
            }
            // Asynchronous ways run the call on the client's own thread, where the scope of the calling thread is resumed.
            assertThat(atProxy.get(firstAtProxy)).as(context).containsAllEntriesOf(scopeHeaders);
            assertThat(atProxy.get(firstAtProxy + 1)).as("the program's own header wins; %s", context)
                    .containsEntry("x-nullspend-session", "the-programs-own");
            assertThat(atProxy.get(firstAtProxy + 2)).as("a traceparent takes the trace id's place; %s", context)
                    .doesNotContainKey("x-nullspend-trace-id").containsEntry("x-nullspend-session", "sess-42");
            for (int k = 0; k < denials.size(); k++) {
                JsonNode result = results.get(first + 4 + k);
                JsonNode denial = result.path("denial");
                assertThat(result.path("error").asText()).as(context)
                        .isEqualTo(way.denialCarrier() != null ? way.denialCarrier() : denial.path("class").asText());
                assertProxyDenial(denials.get(k), denial, context);
            }
            for (int k = 0; k < 2; k++) {
                JsonNode result = results.get(first + 4 + denials.size() + k);
                Denial answer = k == 0 ? Denial.RATE_LIMITED : Denial.PLAN_LIMIT;
                assertThat(result.path("status").asInt()).as(context).isEqualTo(429);
                assertThat(result.path("sha256").asText()).as(context)
                        .isEqualTo(Sha256.hex(answer.body.getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(elsewhere.requestHeaders()).hasSize(ways().size());
        for (Map<String, String> headers : elsewhere.requestHeaders()) {
            assertThat(headers.keySet()).as("headers at another origin").noneMatch(
                    name -> name.startsWith("x-nullspend-") || name.equals("nullspend-version"));
        }
        // Only the calls elsewhere are costed: gpt-4o-mini, 20 in and 5 out = 3 + 3 µ$.
        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize(ways().size());
        for (JsonNode event : events) {
            assertThat(event.path("inputTokens").asLong()).as("%s", event).isEqualTo(20);
            assertThat(event.path("outputTokens").asLong()).as("%s", event).isEqualTo(5);
            assertThat(event.path("costMicrodollars").asLong()).as("%s", event).isEqualTo(6);
        }
    }

    /** A proxy's denial as the program must get it: the exception's class, code, message, recovery and figures. */
    private record ProxyDenial(String type, String code, String message, String recovery, Map<String, Object> fields) {
    }

    /** The class, code, message, recovery and figures the proxy's {@code denial} answer must give the program. */
    private static void assertProxyDenial(Denial kind, JsonNode denial, String context) {
        ProxyDenial expected = switch (kind) {
            case BUDGET -> new ProxyDenial("BudgetExceededException", "budget_exceeded",
                    "Budget exceeded. $0.42 remaining (limit: $5.00, spent: $4.58) on api_key/key_123. Increase at"
                            + " https://nullspend.dev/app/budgets",
                    "false,true,null,https://nullspend.dev/docs/errors/budget-exceeded",
                    Map.of("entityType", "api_key", "entityId", "key_123", "limit", 5000000, "spend", 4580000,
                            "remaining", 420000, "estimate", 600000));
            case CUSTOMER_BUDGET -> new ProxyDenial("BudgetExceededException", "budget_exceeded",
                    "Customer budget exceeded for acme.",
                    "false,true,null,https://nullspend.dev/docs/errors/budget-exceeded",
                    Map.of("entityType", "customer", "entityId", "acme", "limit", 1000000, "spend", 1000001,
                            "remaining", 0, "estimate", 2500));
            case TAG_BUDGET -> new ProxyDenial("TagBudgetExceededException", "tag_budget_exceeded",
                    "Tag budget exceeded for team=search.",
                    "false,true,null,https://nullspend.dev/docs/errors/tag-budget",
                    Map.of("tagKey", "team", "tagValue", "search", "limit", 2000000, "spend", 1999000, "remaining", 1000));
            case VELOCITY -> new ProxyDenial("VelocityExceededException", "velocity_exceeded",
                    "Spend velocity exceeded.",
                    "true,false,17,https://nullspend.dev/docs/errors/velocity",
                    Map.of("limit", 100000, "windowSeconds", 60, "current", 123456, "retryAfterSeconds", 17));
            case SESSION -> new ProxyDenial("SessionLimitExceededException", "session_limit_exceeded",
                    "Session limit exceeded.",
                    "false,false,null,https://nullspend.dev/docs/errors/session-limit",
                    Map.of("sessionId", "sess-1", "spend", 750000, "limit", 500000));
            case LOOP -> new ProxyDenial("LoopDetectedException", "loop_detected",
                    "Loop detected: gpt-4o called 50 times with identical content in 60s.",
                    "true,false,5,https://nullspend.dev/docs/errors/loop-detected",
                    Map.of("provider", "openai", "model", "gpt-4o", "callCount", 50, "windowSeconds", 60, "maxCalls", 50,
                            "detectionType", "per_key"));
            case MANDATE -> new ProxyDenial("MandateViolationException", "mandate_violation",
                    "Model gpt-4o is not allowed for this key.",
                    "false,true,null,https://nullspend.dev/docs/errors/mandate-violation",
                    Map.of("mandate", "allowed_models", "requested", "gpt-4o", "allowed",
                            List.of("gpt-4o-mini", "claude-haiku-4-5")));
            default -> throw new IllegalArgumentException(kind.name());
        };
        assertThat(denial.path("class").asText()).as(context).isEqualTo("dev.nullspend.api." + expected.type());
        assertThat(denial.path("code").asText()).as(context).isEqualTo(expected.code());
        assertThat(denial.path("message").asText()).as(context).isEqualTo(expected.message());
        JsonNode r = denial.path("recovery");
        assertThat(r.path("retryable").asText() + "," + r.path("ownerActionRequired").asText() + ","
                + r.path("retryAfterSeconds").asText() + "," + r.path("docs").asText()).as(context)
                .isEqualTo(expected.recovery());
        expected.fields().forEach((name, value) -> assertThat(JSON.convertValue(denial.path("fields").path(name), Object.class))
                .as("%s.%s; %s", kind, name, context).isEqualTo(value));
    }

    // The case's calls and the program.

    /**
     * One call of {@link ClientApp}: its arguments, the status it must get (0: it fails, or is denied) and the
     * bytes it must read (null: compared with the run without the agent instead), and the ledger event it must
     * give: exact ({@code event}), estimated for {@code estimatedModel}, or none.
     */
    protected record Call(List<String> args, int status, byte[] body, ExpectedCall event, String estimatedModel) {

        Call(List<String> args, int status, byte[] body, ExpectedCall event) {
            this(args, status, body, event, null);
        }

        /** The chat completions path this call requests (unique through its usage), or null for other calls. */
        String path() {
            String url = args.stream().filter(a -> a.startsWith("url=")).findFirst().orElseThrow().substring("url=".length());
            return args.stream().anyMatch(a -> a.startsWith("chat=")) && url.endsWith("/chat/completions")
                    ? URI.create(url).getPath() : null;
        }
    }

    /** A call that must be denied before it is sent. */
    protected static Call denied(Call call) {
        return new Call(call.args(), 0, null, null);
    }

    /** The {@code driver=}, {@code mode=}, {@code read=} arguments of a call, then {@code more}. */
    protected List<String> args(Way way, String read, String... more) {
        List<String> args = new ArrayList<>(List.of("driver=" + driver().getSimpleName(), "mode=" + way.mode(), "read=" + read));
        args.addAll(Arrays.asList(more));
        return args;
    }

    /**
     * A chat completion call to the fake provider and what it must get: {@code OK} the provider's bytes and an
     * exact event (without {@code include_usage} the program still reads the stream without the usage
     * chunk), {@code GZIP} an exact event, {@code HTTP_500} a 500 and no event, {@code MALFORMED} its bytes and
     * {@code TRUNCATED} a failure, each an estimated event; other scenarios: only the comparison with the run
     * without the agent.
     */
    protected Call chat(Scenario scenario, FakeUsage usage, String model, String stream, Way way, String read,
                        String... more) {
        List<String> args = args(way, read, "url=" + server.chatCompletionsUrl(scenario, usage), "chat=" + model,
                "stream=" + stream);
        args.addAll(Arrays.asList(more));
        return switch (scenario) {
            case OK, GATED -> new Call(args, 200, stream.equals("off") ? ChatResponses.completion(model, usage)
                    : ChatResponses.streamBody(model, stream.equals("usage") ? usage : null), new ExpectedCall(model, usage));
            case GZIP -> new Call(args, 200, null, new ExpectedCall(model, usage));
            case HTTP_500 -> new Call(args, 500, null, null);
            case MALFORMED -> new Call(args, 200, FakeProviderServer.MALFORMED_BODY, null, model);
            case TRUNCATED -> new Call(args, 0, null, null, model);
            default -> new Call(args, 200, null, null);
        };
    }

    /**
     * The exact calls of one way: chat completions plain and streamed with and without {@code include_usage},
     * each read whole and as it arrives, the models in turn; the test's {@code n}-th call has
     * {@code input + 97n} tokens in ({@code 128 (n mod 4)} of them cached) and {@code output + 13n} out (57 of
     * them reasoning on o3), so that each call's path and event are its own.
     */
    protected List<Call> exactChats(Way way, int n, long input, long output, String... more) {
        List<Call> calls = new ArrayList<>();
        for (String stream : List.of("off", "usage", "no-usage")) {
            for (String read : List.of("whole", "streamed")) {
                int i = n + calls.size();
                String model = MODELS[i % MODELS.length];
                FakeUsage usage = new FakeUsage(input + 97L * i, 128L * (i % 4), output + 13L * i, model.equals("o3") ? 57 : 0);
                calls.add(chat(Scenario.OK, usage, model, stream, way, read, more));
            }
        }
        return calls;
    }

    /**
     * {@link ClientApp} with the calls, on this client's class path; the fake provider's host is opted in
     * to {@code include_usage}, as api.openai.com is by default.
     */
    protected ForkedJvm.Builder program(boolean agent, List<Call> calls) {
        return program(calls.stream().map(Call::args).toList()).agent(agent)
                .systemProperty("nullspend.providers.include-usage-hosts", "127.0.0.1:" + server.port());
    }

    /** {@link ClientApp} with the calls' arguments, separated by {@code --}. */
    protected ForkedJvm.Builder program(List<List<String>> calls) {
        // Many calls per JVM on a loaded machine: more time than the default minute.
        ForkedJvm.Builder jvm = ForkedJvm.in(workDir).mainClass(ClientApp.class).calls(calls).timeout(Duration.ofMinutes(3));
        return classPath() == null ? jvm : jvm.classPath(classPath());
    }

    /**
     * {@code entries}, then the jars of this JVM's class path that {@link ClientApp} itself needs on any class
     * path (Jackson for its output, the program's own copy of {@code agent-api}).
     */
    protected static List<Path> withProgramLibraries(List<Path> entries) {
        Predicate<String> needed = e -> e.contains("jackson") || e.contains("agent-api");
        List<Path> all = new ArrayList<>(entries);
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).filter(needed).map(Path::of)
                .forEach(all::add);
        return all;
    }

    /** Each call's {@code result=} line, parsed. */
    protected static List<JsonNode> results(ForkedJvm.Result run) {
        return run.results();
    }

    /** Exit 0; per call in order its status and, where the test knows the body, the SHA-256 of exactly those bytes. */
    protected static void assertResults(ForkedJvm.Result run, List<Call> calls) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> results = results(run);
        assertThat(results).as(run.describe()).hasSameSizeAs(calls);
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            String context = "call " + i + " " + call.args() + ": " + results.get(i) + "\n" + run.describe();
            assertThat(results.get(i).path("status").asInt()).as(context).isEqualTo(call.status());
            if (call.body() != null) {
                assertThat(results.get(i).path("sha256").asText()).as(context).isEqualTo(Sha256.hex(call.body()));
            }
        }
    }

    /**
     * The program got the same with and without the agent: every call's {@code result=} line. (When
     * {@code first-event} is printed for a stream that then fails depends on how the client's reads fall.)
     */
    protected static void assertSameResultsWithoutTheAgent(ForkedJvm.Result withAgent, ForkedJvm.Result withoutAgent) {
        assertThat(withAgent.stdoutLines()).as("the same program output without the agent\n%s", withAgent.describe())
                .filteredOn(line -> line.startsWith("result="))
                .isEqualTo(withoutAgent.stdoutLines().stream().filter(line -> line.startsWith("result=")).toList());
    }

    /**
     * Runs {@code calls} with and without the agent: each call gets what the test knows it must, the program
     * prints the same without the agent, each LLM call has its one exact event and reached the provider once
     * per run.
     */
    protected void assertOneExactEventPerCallAndTheSameOutputWithoutTheAgent(List<Call> calls) {
        ForkedJvm.Result withAgent = program(true, calls).run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
        assertExactOpenAiEvents(withAgent, calls.stream().map(Call::event).toList());
        assertSentOncePerRun(calls, 2);
    }

    /** Each chat call reached the provider exactly {@code times} (once per run): the agent added and dropped none. */
    protected void assertSentOncePerRun(List<Call> calls, int times) {
        for (Call call : calls) {
            if (call.path() != null) {
                assertThat(server.requestCount(call.path())).as("%s; %s", call.path(), server.requestCounts()).isEqualTo(times);
            }
        }
    }

    /** Skips the case, with the reason, when the subclass says it cannot apply to its client. */
    protected void applies(Case contractCase) {
        String reason = notApplicable().get(contractCase);
        assumeTrue(reason == null, () -> contractCase + " does not apply to " + driver().getSimpleName() + ": " + reason);
    }

    @SafeVarargs
    protected static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
