package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.api.Recovery;
import dev.nullspend.it.apps.ProxyApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeNullSpendProxy;
import dev.nullspend.it.fake.FakeNullSpendProxy.Denial;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nullspend.proxy-url} under the agent, with {@code java.net.http}, OkHttp and Apache HttpClient 4, 5
 * classic and 5 async (docs/nullspend-api.md
 * #denials, #proxy-headers): calls to the proxy carry the attribution headers and are not costed by the agent; no other
 * origin ever sees those headers; the proxy's denials reach the program as the typed exceptions with the
 * proxy's exact figures, and its other answers reach the program untouched.
 */
class ProxyModeIT {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    /** How long an action may take to appear: a bound for a loaded machine, not a measure. */
    private static final Duration DECISION_WAIT = Duration.ofSeconds(120);
    /**
     * The ways a program takes a response: send/sendAsync, execute/enqueue, and the Apache clients: 4 and 5
     * classic, 5 async (a future).
     */
    private static final List<List<String>> WAYS = List.of(List.of("client=jdk", "mode=sync"),
            List.of("client=jdk", "mode=async"), List.of("client=okhttp", "mode=sync"), List.of("client=okhttp", "mode=async"),
            List.of("client=hc4"), List.of("client=hc5"), List.of("client=hc5-async"));

    @TempDir
    Path workDir;

    private FakeNullSpendProxy proxy;
    private FakeNullSpendProxy elsewhere;
    private FakeNullSpendApi api;

    @BeforeEach
    void start() {
        proxy = FakeNullSpendProxy.start();
        elsewhere = FakeNullSpendProxy.start();
        api = FakeNullSpendApi.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        elsewhere.close();
        api.close();
    }

    @Test
    void proxyCallsCarryTheHeadersAreNotCostedAndNoOtherOriginSeesThem() {
        List<String> scope = List.of("session=sess-42", "customer=acme", "trace=" + TRACE, "tags=env:prod;feature:chat");
        List<List<String>> calls = new ArrayList<>();
        for (List<String> way : WAYS) {
            calls.add(join(way, List.of("url=" + proxy.chatUrl()), scope));
        }
        calls.add(join(WAYS.get(0), List.of("url=" + proxy.chatUrl(), "header=X-NullSpend-Session:the-programs-own"), scope));
        calls.add(join(WAYS.get(2), List.of("url=" + proxy.chatUrl(), "header=traceparent:00-" + TRACE + "-b7ad6b7169203331-01"),
                scope));
        for (List<String> way : WAYS) {
            calls.add(join(way, List.of("url=" + elsewhere.chatUrl()), scope));
        }

        ForkedJvm.Result run = program(calls);

        String completion = "body=" + new String(FakeNullSpendProxy.COMPLETION, StandardCharsets.UTF_8);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(
                java.util.Collections.nCopies(2 * WAYS.size() + 2, List.of("status=200", completion)).stream()
                        .flatMap(List::stream).toList());
        List<Map<String, String>> atProxy = proxy.requestHeaders();
        assertThat(atProxy).hasSize(WAYS.size() + 2);
        Map<String, String> expected = Map.of("x-nullspend-key", FakeNullSpendApi.TEST_KEY, "nullspend-version", "2026-04-01",
                "x-nullspend-trace-id", TRACE, "x-nullspend-session", "sess-42", "x-nullspend-customer", "acme",
                "x-nullspend-tags", "{\"env\":\"prod\",\"feature\":\"chat\",\"team\":\"search\"}");
        // Every way of calling carries the scope, enqueue() too: its interceptor runs on OkHttp's dispatcher
        // thread, where the scope of the thread that enqueued it is resumed (core.EnqueuedAttribution).
        for (int i = 0; i < WAYS.size(); i++) {
            assertThat(atProxy.get(i)).as("call %d", i).containsAllEntriesOf(expected);
        }
        assertThat(atProxy.get(WAYS.size())).as("the program's own header wins")
                .containsEntry("x-nullspend-session", "the-programs-own");
        assertThat(atProxy.get(WAYS.size() + 1)).as("a traceparent takes the trace id's place")
                .doesNotContainKey("x-nullspend-trace-id")
                .containsEntry("x-nullspend-session", "sess-42");
        for (Map<String, String> headers : elsewhere.requestHeaders()) {
            assertThat(headers.keySet()).as("headers at another origin").noneMatch(
                    name -> name.startsWith("x-nullspend-") || name.equals("nullspend-version"));
        }
        assertThat(elsewhere.requestHeaders()).hasSize(WAYS.size());
        // Only the calls elsewhere are costed: gpt-4o-mini, 20 in and 5 out = 3 + 3 µ$.
        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize(WAYS.size());
        for (JsonNode event : events) {
            assertThat(event.path("inputTokens").asLong()).as("%s", event).isEqualTo(20);
            assertThat(event.path("outputTokens").asLong()).as("%s", event).isEqualTo(5);
            assertThat(event.path("costMicrodollars").asLong()).as("%s", event).isEqualTo(6);
        }
    }

    /**
     * Calls made by a {@code proposeAndWait} task carry the action's id to the proxy, whichever way they are
     * made: OkHttp's {@code enqueue()} too, whose interceptor runs on the dispatcher thread with the scope the
     * task enqueued it in, every field of it.
     */
    @Test
    void callsOfAnApprovedActionsTaskCarryItsIdEveryWayOfCalling() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        for (List<String> way : WAYS) {
            calls.add(join(way, List.of("url=" + proxy.chatUrl(), "action=billing-bot", "session=sess-7")));
        }
        AtomicReference<Throwable> deciderFailure = new AtomicReference<>();
        Thread decider = new Thread(() -> {
            try {
                for (int n = 0; n < WAYS.size(); n++) {
                    api.approve(api.awaitAction(n, DECISION_WAIT));
                }
            } catch (Throwable e) {
                deciderFailure.set(e);
            }
        }, "dashboard-user");
        decider.setDaemon(true);
        decider.start();

        ForkedJvm.Result run = launch(calls).timeout(DECISION_WAIT.multipliedBy(2)).run();
        decider.join(5_000);

        assertThat(deciderFailure.get()).as(run.describe()).isNull();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        String completion = "body=" + new String(FakeNullSpendProxy.COMPLETION, StandardCharsets.UTF_8);
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(
                java.util.Collections.nCopies(WAYS.size(), List.of("status=200", completion)).stream()
                        .flatMap(List::stream).toList());
        List<String> ids = api.actionIds();
        assertThat(ids).as(run.describe()).hasSize(WAYS.size()).doesNotHaveDuplicates();
        List<Map<String, String>> atProxy = proxy.requestHeaders();
        assertThat(atProxy).as(run.describe()).hasSize(WAYS.size());
        for (int i = 0; i < WAYS.size(); i++) {
            assertThat(atProxy.get(i)).as("%s", WAYS.get(i)).containsEntry("x-nullspend-action-id", ids.get(i))
                    .containsEntry("x-nullspend-session", "sess-7");
            assertThat(api.action(ids.get(i)).get("status")).as("%s", WAYS.get(i)).isEqualTo("executed");
        }
    }

    @Test
    void everyDenialOfTheProxyReachesTheProgramAsItsTypedExceptionWithTheProxysFigures() {
        List<Denial> denials = List.of(Denial.BUDGET, Denial.CUSTOMER_BUDGET, Denial.TAG_BUDGET, Denial.VELOCITY,
                Denial.SESSION, Denial.LOOP, Denial.MANDATE);
        List<List<String>> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Denial denial : denials) {
            for (List<String> way : WAYS) {
                calls.add(join(way, List.of("url=" + proxy.chatUrl(denial))));
                expected.addAll(expectedDenial(denial, way));
            }
        }

        ForkedJvm.Result run = program(calls);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(expected);
        assertThat(proxy.requestHeaders()).as("each call sent once").hasSize(calls.size());
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    @Test
    void otherProxyAnswersReachTheProgramUntouched() {
        List<List<String>> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Denial answer : List.of(Denial.RATE_LIMITED, Denial.PLAN_LIMIT)) {
            for (List<String> way : WAYS) {
                calls.add(join(way, List.of("url=" + proxy.chatUrl(answer))));
                expected.addAll(List.of("status=429", "body=" + answer.body));
            }
        }

        ForkedJvm.Result run = program(calls);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(expected);
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    /** What {@link ProxyApp} prints for {@code denial} taken the {@code way} given. */
    private static List<String> expectedDenial(Denial denial, List<String> way) {
        String type;
        String code;
        String message;
        Recovery recovery;
        String fields;
        switch (denial) {
            case BUDGET -> {
                type = "BudgetExceededException";
                code = "budget_exceeded";
                message = "Budget exceeded. $0.42 remaining (limit: $5.00, spent: $4.58) on api_key/key_123. Increase at"
                        + " https://nullspend.dev/app/budgets";
                recovery = Recovery.ownerAction("budget-exceeded");
                fields = "api_key,key_123,5000000,4580000,420000,600000";
            }
            case CUSTOMER_BUDGET -> {
                type = "BudgetExceededException";
                code = "budget_exceeded";
                message = "Customer budget exceeded for acme.";
                recovery = Recovery.ownerAction("budget-exceeded");
                fields = "customer,acme,1000000,1000001,0,2500";
            }
            case TAG_BUDGET -> {
                type = "TagBudgetExceededException";
                code = "tag_budget_exceeded";
                message = "Tag budget exceeded for team=search.";
                recovery = Recovery.ownerAction("tag-budget");
                fields = "team,search,2000000,1999000,1000";
            }
            case VELOCITY -> {
                type = "VelocityExceededException";
                code = "velocity_exceeded";
                message = "Spend velocity exceeded.";
                recovery = Recovery.retryAfter(17, "velocity");
                fields = "100000,60,123456,17";
            }
            case SESSION -> {
                type = "SessionLimitExceededException";
                code = "session_limit_exceeded";
                message = "Session limit exceeded.";
                recovery = Recovery.none("session-limit");
                fields = "sess-1,750000,500000";
            }
            case LOOP -> {
                type = "LoopDetectedException";
                code = "loop_detected";
                message = "Loop detected: gpt-4o called 50 times with identical content in 60s.";
                recovery = Recovery.retryAfter(5, "loop-detected");
                fields = "openai,gpt-4o,50,60,50,per_key";
            }
            case MANDATE -> {
                type = "MandateViolationException";
                code = "mandate_violation";
                message = "Model gpt-4o is not allowed for this key.";
                recovery = Recovery.ownerAction("mandate-violation");
                fields = "allowed_models,gpt-4o,[gpt-4o-mini, claude-haiku-4-5]";
            }
            default -> throw new IllegalArgumentException(denial.name());
        }
        String denialClass = "dev.nullspend.api." + type;
        // Sync callers get the denial itself; async ones the way their client fails a call.
        String thrown = way.equals(WAYS.get(1)) || way.equals(WAYS.get(6)) ? "java.util.concurrent.ExecutionException"
                : way.equals(WAYS.get(3)) ? "dev.nullspend.agent.exchange.NullSpendDeniedIOException" : denialClass;
        return List.of("error=" + thrown, "denial=" + denialClass, "code=" + code, "message=" + message,
                "recovery=" + recovery.retryable() + "," + recovery.ownerActionRequired() + "," + recovery.retryAfterSeconds()
                        + "," + recovery.docs(),
                "fields=" + fields);
    }

    /** {@link ProxyApp} with the calls, the proxy configured, events to the fake API and the ledger. */
    private ForkedJvm.Result program(List<List<String>> calls) {
        return launch(calls).run();
    }

    private ForkedJvm.Builder launch(List<List<String>> calls) {
        List<String> args = new ArrayList<>();
        for (List<String> call : calls) {
            if (!args.isEmpty()) {
                args.add("--");
            }
            args.addAll(call);
        }
        return ForkedJvm.in(workDir).mainClass(ProxyApp.class)
                .systemProperty("nullspend.proxy-url", proxy.origin())
                .systemProperty("nullspend.api-key", FakeNullSpendApi.TEST_KEY)
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.tags", "team=search,_ns_internal=1")
                .args(args.toArray(String[]::new));
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
