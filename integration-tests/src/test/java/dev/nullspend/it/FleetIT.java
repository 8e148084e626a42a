package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.agent.testing.RedisServer;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.ConcurrentBudgetApp;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fleet mode (docs/fleet.md) with real JVMs under the built agent jar and a real redis-server: the
 * programs are {@link ConcurrentBudgetApp}s, threads spending one strict budget through
 * java.net.http until a denial shows nothing held anywhere. Every call holds the same estimate E and
 * costs the same A ≤ E, so across the whole fleet exactly {@code N = ⌊(limit − E) / A⌋ + 1} calls are
 * admitted, whatever the interleaving (see {@link ConcurrentBudgetIT} for why).
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class FleetIT extends FakeProviderTest {
    private static final String MODEL = "gpt-4o";
    private static final int MAX_TOKENS = 500;
    private static final String PROCESS_BUDGET = "nullspend:b:user/process:all";

    /** Each test's calls get a path of their own on the class's fake provider (their own usage): counts stay apart. */
    private static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();

    private RedisServer redis;
    private long estimate;
    private long cost;
    private String url;

    FleetIT(Fakes fakes) {
        super(fakes);
    }

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisServer.start();
        int bodyBytes = ClientApp.chatBody(MODEL, MAX_TOKENS, ConcurrentBudgetApp.user(0, 0))
                .getBytes(StandardCharsets.UTF_8).length;
        estimate = ExpectedCost.openAiEstimate(MODEL, bodyBytes, MAX_TOKENS);
        FakeUsage usage = new FakeUsage((bodyBytes + 3) / 4, 0, 400 + TESTS.incrementAndGet(), 0);
        cost = ExpectedCost.openAiChat(MODEL, usage).total();
        url = server.chatCompletionsUrl(Scenario.OK, usage);
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void fourJvmsOfEightThreadsSpendOneBudgetToTheMicrodollarAndTheNextRunIsDeniedAtOnce() throws Exception {
        long limit = 100_000;
        long admittedCalls = (limit - estimate) / cost + 1;

        List<CompletableFuture<ForkedJvm.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ForkedJvm.Builder jvm = fleetJvm("jvm" + i, limit, 8, "closed");
            runs.add(CompletableFuture.supplyAsync(jvm::run));
        }
        long admitted = 0;
        long recorded = 0;
        int events = 0;
        for (CompletableFuture<ForkedJvm.Result> f : runs) {
            ForkedJvm.Result run = f.get();
            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(run.stdoutValue("other")).as(run.describe()).isEqualTo("0");
            assertThat(run.stdoutValue("stopped")).as("every thread saw the budget spent\n%s", run.describe()).isEqualTo("8");
            admitted += Long.parseLong(run.stdoutValue("admitted"));
            for (JsonNode event : run.ledger()) {
                assertThat(event.path("costMicrodollars").asLong()).isEqualTo(cost);
                recorded += cost;
                events++;
            }
            for (JsonNode d : run.jsonLines("denial")) {
                assertThat(d.path("code").asText()).as(d.toString()).isEqualTo("budget_exceeded");
                JsonNode fig = d.path("fields");
                assertThat(fig.path("limit").asLong()).isEqualTo(limit);
                assertThat(fig.path("spend").asLong() % cost).as("spend is whole settled calls: %s", d).isZero();
                assertThat(fig.path("reserved").asLong() % estimate).as("holds are whole estimates: %s", d).isZero();
                assertThat(fig.path("spend").asLong() + fig.path("reserved").asLong() + estimate).isGreaterThan(limit);
            }
        }
        assertThat(admitted).as("admitted calls across the fleet").isEqualTo(admittedCalls);
        assertThat(server.requestCount(URI.create(url).getPath())).isEqualTo((int) admittedCalls);
        assertThat(events).isEqualTo((int) admittedCalls);
        assertThat(recorded).isEqualTo(admittedCalls * cost).isLessThanOrEqualTo(limit);
        assertThat(redis.hgetLong(PROCESS_BUDGET, "spend")).isEqualTo(admittedCalls * cost);
        assertThat(redis.hgetLong(PROCESS_BUDGET, "reserved")).isZero();

        ForkedJvm.Result next = fleetJvm("next", limit, 1, "closed").run();
        assertThat(next.stdoutValue("admitted")).as(next.describe()).isEqualTo("0");
        JsonNode denial = next.jsonLines("denial").get(0);
        assertThat(denial.path("fields").path("spend").asLong()).isEqualTo(admittedCalls * cost);
        assertThat(denial.path("fields").path("reserved").asLong()).isZero();
        assertThat(server.requestCount(URI.create(url).getPath())).isEqualTo((int) admittedCalls);
    }

    @Test
    void aJvmKilledMidCallFreesItsHoldAfterTheExpiry() throws Exception {
        long limit = estimate + cost / 2; // room for one call at a time
        String gated = server.chatCompletionsUrl(Scenario.GATED, new FakeUsage(10, 0, 400, 0));
        // Only this case gates a response, and only it releases the gate: a release by a case running beside
        // it would let the call end before the kill.
        ForkedJvm.Result killed;
        try {
            killed = fleetJvm("killed", limit, 1, "closed", gated)
                    .systemProperty("nullspend.redis.hold-seconds", "2")
                    .killWhen(() -> server.gatesWaiting() > 0).run();
        } finally {
            server.release();
        }
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(redis.hgetLong(PROCESS_BUDGET, "reserved")).as("the dead JVM's hold").isEqualTo(estimate);

        Object holdsAfterKill = redis.call("ZRANGE", "nullspend:holds", "0", "-1", "WITHSCORES");
        ForkedJvm.Result next = fleetJvm("next", limit, 1, "closed").args("deadline-ms=30000").run();
        String state = "holds after the kill " + holdsAfterKill + ", Redis time " + redis.call("TIME") + ", holds now "
                + redis.call("ZRANGE", "nullspend:holds", "0", "-1", "WITHSCORES") + "\n" + next.describe();

        // Whether the next JVM still met the dead one's hold depends on how fast it started; either way
        // it ends with its one call admitted and the dead JVM's estimate held nowhere.
        assertThat(next.stdoutValue("admitted")).as(state).isEqualTo("1");
        assertThat(next.jsonLines("denial")).allSatisfy(d -> assertThat(d.path("fields").path("reserved").asLong())
                .isIn(0L, estimate));
        assertThat(redis.call("ZCARD", "nullspend:holds")).isEqualTo(0L);
        assertThat(redis.hgetLong(PROCESS_BUDGET, "spend")).isEqualTo(cost);
        assertThat(redis.hgetLong(PROCESS_BUDGET, "reserved")).isZero();
    }

    @Test
    void redisStoppedMidRunFailsOpenOnTheProcessOwnSpend() throws Exception {
        long limit = 120_000;
        long admittedCalls = (limit - estimate) / cost + 1;
        CompletableFuture<Void> stopper = whenRequests(3, redis::stop);

        ForkedJvm.Result run = fleetJvm("open", limit, 2, "open").run();
        stopper.get();

        assertThat(run.stdoutValue("other")).as(run.describe()).isEqualTo("0");
        assertThat(Long.parseLong(run.stdoutValue("admitted"))).as("local enforcement on local spend\n%s", run.describe())
                .isEqualTo(admittedCalls);
        assertThat(run.ledger()).hasSize((int) admittedCalls);
        assertThat(server.requestCount(URI.create(url).getPath())).isEqualTo((int) admittedCalls);
        assertThat(run.agentLines().stream().filter(l -> l.contains("fleet mode: Redis at")).count())
                .as("said once\n%s", run.describe()).isEqualTo(1);
    }

    @Test
    void redisStoppedMidRunFailsClosedWithBudgetUnavailable() throws Exception {
        CompletableFuture<Void> stopper = whenRequests(3, redis::stop);

        ForkedJvm.Result run = fleetJvm("closed", 1_000_000, 2, "closed").run();
        stopper.get();

        assertUnavailableStops(run, "could not answer within 1000 ms");
    }

    @Test
    void aRedisSlowerThanTheTimeoutFailsClosedWithoutBlockingTheProgram() throws Exception {
        CompletableFuture<Void> sleeper = whenRequests(3, () -> {
            try {
                redis.call("DEBUG", "SLEEP", "3");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        ForkedJvm.Result run = fleetJvm("slow", 1_000_000, 2, "closed").systemProperty("nullspend.redis.timeout-ms", "100")
                .run();
        sleeper.get();

        assertUnavailableStops(run, "could not answer within 100 ms");
    }

    /** Every thread stopped on a budget_unavailable denial; each admitted call reached the provider and the ledger. */
    private void assertUnavailableStops(ForkedJvm.Result run, String why) {
        long admitted = Long.parseLong(run.stdoutValue("admitted"));
        assertThat(admitted).as(run.describe()).isGreaterThanOrEqualTo(3);
        assertThat(run.stdoutValue("stopped")).isEqualTo("2");
        assertThat(run.ledger()).hasSize((int) admitted);
        assertThat(server.requestCount(URI.create(url).getPath())).isEqualTo((int) admitted);
        List<JsonNode> denials = run.jsonLines("denial");
        assertThat(denials).isNotEmpty().allSatisfy(d -> {
            assertThat(d.path("class").asText()).isEqualTo("dev.nullspend.api.NullSpendException");
            assertThat(d.path("code").asText()).isEqualTo("budget_unavailable");
            assertThat(d.path("message").asText()).contains(why).contains("nullspend.fail-mode=closed");
        });
        assertThat(denials.stream().mapToInt(d -> d.path("count").asInt()).sum()).isEqualTo(2);
    }

    @Test
    void theRedisClientLoadsOnlyInFleetMode() throws Exception {
        assertThat(loadedRedisClasses("plain", Map.of())).isZero();
        assertThat(loadedRedisClasses("fleet", Map.of("nullspend.redis.url", redis.url()))).isPositive();
    }

    /** Classes of the relocated Redis client the JVM loaded while making calls under a budget. */
    private long loadedRedisClasses(String name, Map<String, String> properties) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve(name));
        ForkedJvm.Builder jvm = ForkedJvm.in(dir).mainClass(ConcurrentBudgetApp.class)
                .systemProperty("nullspend.budget.limit-usd", "0.02")
                .env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=classes.log")
                .args("client=jdk", "url=" + url, "model=" + MODEL, "max-tokens=" + MAX_TOKENS, "threads=1",
                        "deadline-ms=30000");
        properties.forEach(jvm::systemProperty);
        ForkedJvm.Result run = jvm.run();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(Long.parseLong(run.stdoutValue("admitted"))).isPositive();
        try (var lines = Files.lines(dir.resolve("classes.log"))) {
            return lines.filter(l -> l.contains("dev.nullspend.agent.shaded.redis.clients.")).count();
        }
    }

    private ForkedJvm.Builder fleetJvm(String name, long limitMicros, int threads, String failMode) throws IOException {
        return fleetJvm(name, limitMicros, threads, failMode, url);
    }

    private ForkedJvm.Builder fleetJvm(String name, long limitMicros, int threads, String failMode, String callUrl)
            throws IOException {
        return ForkedJvm.in(Files.createDirectories(workDir.resolve(name))).mainClass(ConcurrentBudgetApp.class)
                .systemProperty("nullspend.budget.limit-usd", ExpectedCost.usd(limitMicros).substring(1))
                .systemProperty("nullspend.redis.url", redis.url())
                .systemProperty("nullspend.redis.timeout-ms", "1000") // a loaded machine is not a slow Redis
                .systemProperty("nullspend.fail-mode", failMode)
                .timeout(Duration.ofSeconds(150))
                // A "not now" denial costs a round trip to Redis: 32 threads retrying every millisecond
                // would keep a loaded 2-core machine busy with nothing else.
                .args("client=jdk", "url=" + callUrl, "model=" + MODEL, "max-tokens=" + MAX_TOKENS, "threads=" + threads,
                        "deadline-ms=120000", "retry-ms=10");
    }

    /** Runs {@code action} on another thread once the provider has answered {@code n} calls. */
    private CompletableFuture<Void> whenRequests(int n, Runnable action) {
        String path = URI.create(url).getPath();
        IntSupplier seen = () -> server.requestCount(path);
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.getAsInt() < n && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
            action.run();
        });
    }
}
