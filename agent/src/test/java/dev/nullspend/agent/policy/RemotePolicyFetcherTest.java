package dev.nullspend.agent.policy;

import static dev.nullspend.agent.api.ScriptedTransport.error;
import static dev.nullspend.agent.api.ScriptedTransport.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.api.FakeClock;
import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.api.RetryPolicy;
import dev.nullspend.agent.api.ScriptedTransport;
import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentConfig.FailMode;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.AdmissionRequest;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.guard.RemotePolicy;
import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RemotePolicyFetcherTest {
    private static final String KEY = "ns_test_sk_0123456789abcdef0123456789abcdef";
    private static final String BASE = "https://api.example.test";
    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String NO_ENTITIES = "{\"entities\":[]}";

    private final FakeClock clock = new FakeClock();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();
    /** What GET /api/policy answers now; GET /api/budgets/status answers no entities. */
    private final AtomicReference<Object> policyAnswer = new AtomicReference<>();
    private final ScriptedTransport transport = new ScriptedTransport(request ->
            request.uri().getPath().equals("/api/policy") ? policyAnswer.get() : response(200, NO_ENTITIES));

    private List<String> logLines() {
        String s = log.text();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    private static String policy(long max, long spend) {
        return "{\"budget\":{\"max_microdollars\":" + max + ",\"spend_microdollars\":" + spend
                + ",\"remaining_microdollars\":" + (max - spend) + ",\"entity_type\":\"api_key\",\"entity_id\":\"key_123\"},"
                + "\"allowed_models\":null,\"allowed_providers\":null,\"session_limit_microdollars\":null}";
    }

    private RemotePolicyFetcher fetcher(FailMode mode, HttpTransport via, Duration firstFetchWait) {
        NullSpendApiClient client = new NullSpendApiClient(new NullSpendApiClient.Settings(BASE, KEY, "1.2.3",
                RetryPolicy.defaults(), NullSpendApiClient.TIMEOUT, 6_000, 100), () -> via, clock, () -> 0.5);
        return new RemotePolicyFetcher(client, mode, clock, RemotePolicyFetcher.TTL, firstFetchWait);
    }

    private RemotePolicyFetcher fetcher(FailMode mode) {
        return fetcher(mode, transport, Duration.ZERO);
    }

    private List<String> paths() {
        return transport.requests().stream().map(r -> r.method() + " " + r.uri().getPath()).toList();
    }

    @Test
    void aFetchAsksForThePolicyAndTheBudgetStatusAndTheCallsGetIt() {
        policyAnswer.set(response(200, policy(5_000_000, 800_000)));
        RemotePolicyFetcher f = fetcher(FailMode.OPEN);

        f.fetch();

        RemotePolicy p = f.current();
        assertThat(p.describe()).isEqualTo("budget api_key/key_123 ($4.20 of $5.00 left)");
        assertThat(f.current()).isSameAs(p);
        assertThat(paths()).containsExactly("GET /api/policy", "GET /api/budgets/status");
        assertThat(transport.requests().get(0).headers()).containsEntry("x-nullspend-key", KEY);
        assertThat(logLines()).containsExactly("[nullspend] remote policy from " + BASE
                + ": budget api_key/key_123 ($4.20 of $5.00 left) (refreshed every 60s while LLM calls are made)");
    }

    @Test
    void aPolicyIsRefreshedOnceItIsOlderThanTheTtlAndOnlyWhenCallsAskForIt() {
        policyAnswer.set(response(200, policy(5_000_000, 800_000)));
        RemotePolicyFetcher f = fetcher(FailMode.OPEN);
        f.fetch();
        assertThat(f.nanosUntilNextFetch()).as("no call asked yet: the thread waits for one").isEqualTo(Long.MAX_VALUE);

        RemotePolicy first = f.current();
        assertThat(f.nanosUntilNextFetch()).isEqualTo(TTL_NANOS);
        clock.advance(59, TimeUnit.SECONDS);
        assertThat(f.nanosUntilNextFetch()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        clock.advance(1, TimeUnit.SECONDS);
        assertThat(f.nanosUntilNextFetch()).isZero();
        assertThat(f.current()).as("due, but a call never waits: the snapshot it has").isSameAs(first);

        policyAnswer.set(response(200, policy(5_000_000, 900_000)));
        f.fetch();

        RemotePolicy second = f.current();
        assertThat(second).isNotSameAs(first);
        assertThat(second.describe()).isEqualTo("budget api_key/key_123 ($4.10 of $5.00 left)");
        assertThat(paths()).hasSize(4);
    }

    @Test
    void failingOpenLeavesLocalLimitsAloneLogsOnceAndRetriesWithBackoff() {
        policyAnswer.set(error(503, "unavailable", "down"));
        RemotePolicyFetcher f = fetcher(FailMode.OPEN);

        f.fetch();

        assertThat(f.current()).isNull();
        assertThat(paths()).as("the client's 2 retries; the status is not asked for").containsExactly(
                "GET /api/policy", "GET /api/policy", "GET /api/policy");
        assertThat(f.nanosUntilNextFetch()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clock.advance(f.nanosUntilNextFetch(), TimeUnit.NANOSECONDS);
            f.fetch();
            delays.add(TimeUnit.NANOSECONDS.toSeconds(f.nanosUntilNextFetch()));
        }
        assertThat(delays).containsExactly(10L, 20L, 40L, 60L, 60L, 60L);
        assertThat(logLines()).containsExactly("[nullspend] WARN cannot fetch the remote policy from " + BASE
                + ": GET /api/policy failed: HTTP 503; nullspend.fail-mode=open: only local limits apply until it can be"
                + " fetched (next attempt in 5s; logged once until it is fetched again)");

        policyAnswer.set(response(200, policy(1_000_000, 0)));
        f.fetch();

        assertThat(f.current().describe()).isEqualTo("budget api_key/key_123 ($1.00 of $1.00 left)");
        assertThat(logLines()).hasSize(2).last().isEqualTo("[nullspend] remote policy fetched again from " + BASE
                + ", its limits apply again: budget api_key/key_123 ($1.00 of $1.00 left)");
    }

    @Test
    void failingClosedDeniesEveryCallWithARetryableDenialNamingTheBaseUrlAndTheFix() {
        policyAnswer.set(new ConnectException("Connection refused"));
        RemotePolicyFetcher f = fetcher(FailMode.CLOSED);

        f.fetch();

        NullSpendException denial = catchThrowableOfType(f::current, NullSpendException.class);
        assertThat(denial.getClass()).isEqualTo(NullSpendException.class);
        assertThat(denial.code()).isEqualTo("budget_unavailable");
        assertThat(denial.recovery()).isEqualTo(new Recovery(true, false, 5, null));
        assertThat(denial.getMessage()).isEqualTo("Remote policy unavailable: the NullSpend policy could not be fetched"
                + " from " + BASE + " (GET /api/policy network error: java.net.ConnectException: Connection refused), and"
                + " nullspend.fail-mode=closed denies LLM calls without it. Check nullspend.api-key and"
                + " nullspend.base-url, or set nullspend.fail-mode=open to go on with local limits only while the API"
                + " cannot be reached. Retry in 5s.");
        clock.advance(3, TimeUnit.SECONDS);
        assertThat(catchThrowableOfType(f::current, NullSpendException.class).recovery().retryAfterSeconds())
                .isEqualTo(2);
        assertThat(logLines()).containsExactly("[nullspend] WARN cannot fetch the remote policy from " + BASE
                + ": GET /api/policy network error: java.net.ConnectException: Connection refused;"
                + " nullspend.fail-mode=closed: every LLM call is denied until it can be fetched (next attempt in 5s;"
                + " logged once until it is fetched again)");
    }

    @Test
    void aPolicyStaysUsableUntilItIsOlderThanTheTtlAndItsRefreshFailed() {
        for (FailMode mode : FailMode.values()) {
            policyAnswer.set(response(200, policy(5_000_000, 0)));
            RemotePolicyFetcher f = fetcher(mode);
            f.fetch();
            RemotePolicy fetched = f.current();
            clock.advance(30, TimeUnit.SECONDS);
            policyAnswer.set(error(401, "unauthorized", "Invalid or missing API key."));
            f.fetch();
            assertThat(f.current()).as("%s: 30 s old, the refresh failed", mode).isSameAs(fetched);
            clock.advance(29, TimeUnit.SECONDS);
            assertThat(f.current()).as("%s: 59 s old", mode).isSameAs(fetched);
            clock.advance(1, TimeUnit.SECONDS);
            if (mode == FailMode.OPEN) {
                assertThat(f.current()).as("open: 60 s old and not refreshed").isNull();
            } else {
                assertThat(catchThrowableOfType(f::current, NullSpendException.class)).hasMessageContaining(
                        "(GET /api/policy failed: Invalid or missing API key. (HTTP 401, unauthorized); check"
                                + " nullspend.api-key)");
            }
        }
    }

    @Test
    void failingClosedACallBeforeTheFirstFetchWaitsForItBounded() throws Exception {
        policyAnswer.set(response(200, policy(5_000_000, 0)));
        RemotePolicyFetcher f = fetcher(FailMode.CLOSED, transport, Duration.ofSeconds(30));
        CompletableFuture<RemotePolicy> call = CompletableFuture.supplyAsync(f::current);
        Thread.sleep(100);
        assertThat(call).as("waiting for the first fetch").isNotDone();

        f.fetch();

        assertThat(call.get(5, TimeUnit.SECONDS).describe()).isEqualTo("budget api_key/key_123 ($5.00 of $5.00 left)");

        RemotePolicyFetcher unanswered = fetcher(FailMode.CLOSED, transport, Duration.ofSeconds(1));
        long start = System.nanoTime();
        NullSpendException denial = catchThrowableOfType(unanswered::current, NullSpendException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(denial.getMessage()).contains("(no answer within 1s)");
        assertThat(denial.recovery().retryAfterSeconds()).isEqualTo(5);
        start = System.nanoTime();
        catchThrowableOfType(unanswered::current, NullSpendException.class);
        assertThat(System.nanoTime() - start).as("later calls share the first one's bound")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));

        RemotePolicyFetcher open = fetcher(FailMode.OPEN, transport, Duration.ofSeconds(30));
        assertThat(open.current()).as("open mode never waits").isNull();
    }

    @Test
    void aRefusedBudgetStatusLeavesThePolicyAlone() {
        ScriptedTransport refusing = new ScriptedTransport(request -> request.uri().getPath().equals("/api/policy")
                ? response(200, policy(5_000_000, 0)) : error(404, "not_found", "No route"));
        RemotePolicyFetcher f = fetcher(FailMode.CLOSED, refusing, Duration.ZERO);

        f.fetch();

        assertThat(f.current().describe()).isEqualTo("budget api_key/key_123 ($5.00 of $5.00 left)");
        assertThat(logLines()).first().isEqualTo("[nullspend] WARN GET /api/budgets/status failed: No route (HTTP 404,"
                + " not_found); the remote policy is enforced without the budgets of GET /api/budgets/status (logged once)");
    }

    @Test
    void theGuardCountsLocalSpendAgainstTheFetchedBudgetBetweenRefreshes() throws Exception {
        policyAnswer.set(response(200, policy(1_000_000, 700_000)));
        RemotePolicyFetcher f = fetcher(FailMode.CLOSED);
        AgentConfig config = AgentConfig.read(new ConfigSource(Map.of("nullspend.ledger", "off"), Map.of(), Map.of(),
                Map.of(), "test"));
        Guard guard = Guard.create(config, f);
        f.fetch();

        guard.admit(request(150_000)).settle(120_000);
        guard.admit(request(150_000)).settle(100_000);
        BudgetExceededException d = catchThrowableOfType(() -> guard.admit(request(80_001)), BudgetExceededException.class);
        assertThat(d.spendMicrodollars()).isEqualTo(920_000);
        assertThat(d.limitMicrodollars()).isEqualTo(1_000_000);
        assertThat(d.estimatedCostMicrodollars()).isEqualTo(80_001);
        guard.admit(request(80_000)).release();

        // the refresh already counts those 220,000 (and 30,000 more from elsewhere): local spend starts again from it
        clock.advance(60, TimeUnit.SECONDS);
        policyAnswer.set(response(200, policy(1_000_000, 950_000)));
        f.fetch();
        d = catchThrowableOfType(() -> guard.admit(request(50_001)), BudgetExceededException.class);
        assertThat(d.spendMicrodollars()).isEqualTo(950_000);
        guard.admit(request(50_000));

        policyAnswer.set(response(200, "{\"allowed_models\":[\"gpt-4o-mini\"]}"));
        f.fetch();
        assertThat(catchThrowableOfType(() -> guard.admit(request(1)), MandateViolationException.class).requested())
                .isEqualTo("gpt-4o");
    }

    @Test
    void theThreadFetchesAtStartThenOnlyWhenCallsAskOnceTheTtlHasPassed() throws Exception {
        List<String> threads = new ArrayList<>();
        Function<HttpTransport.Request, Object> answer = request -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
            }
            return response(200, request.uri().getPath().equals("/api/policy") ? policy(5_000_000, 0) : NO_ENTITIES);
        };
        ScriptedTransport recording = new ScriptedTransport(answer);
        NullSpendApiClient client = new NullSpendApiClient(NullSpendApiClient.Settings.of(BASE, KEY, "1.2.3"),
                () -> recording);
        RemotePolicyFetcher f = new RemotePolicyFetcher(client, FailMode.OPEN,
                dev.nullspend.agent.api.ApiClock.SYSTEM, Duration.ofMillis(200), Duration.ZERO);
        try {
            f.start();
            awaitRequests(recording, 2);
            Thread.sleep(500);
            assertThat(recording.requests()).as("no call asked: no refresh").hasSize(2);

            f.current();
            awaitRequests(recording, 4);
            assertThat(threads).containsOnly("nullspend-policy daemon");
        } finally {
            f.close();
        }
    }

    private static void awaitRequests(ScriptedTransport transport, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (transport.requests().size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(transport.requests()).hasSize(count);
    }

    private static AdmissionRequest request(long estimate) {
        return new AdmissionRequest("openai", "gpt-4o", null, estimate, CallOwner.NONE);
    }
}
