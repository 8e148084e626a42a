package dev.nullspend.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.AdmissionRequest;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.guard.Reservation;
import dev.nullspend.agent.guard.SharedLimits;
import dev.nullspend.agent.testing.RedisServer;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.VelocityExceededException;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fleet mode against a real redis-server: two guards stand for two processes of a fleet sharing
 * one Redis. Exact microdollars in Redis and in the denials.
 */
class RedisFleetTest {
    private static final String PROCESS = "nullspend:b:user/process:all";

    private RedisServer redis;
    private final List<SharedLimits> fleets = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() {
        fleets.forEach(SharedLimits::close);
        redis.close();
    }

    @Test
    void twoProcessesShareOneBudgetToTheMicrodollar() throws Exception {
        Guard a = guard(Map.of("nullspend.budget.limit-usd", "0.001"));
        Guard b = guard(Map.of("nullspend.budget.limit-usd", "0.001"));

        List<Reservation> held = List.of(a.admit(call(300)), a.admit(call(300)), a.admit(call(300)));
        assertThat(redis.hgetLong(PROCESS, "reserved")).isEqualTo(900);

        assertThatThrownBy(() -> b.admit(call(300))).isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.limitMicrodollars()).isEqualTo(1000);
            assertThat(e.spendMicrodollars()).isZero();
            assertThat(e.reservedMicrodollars()).isEqualTo(900);
            assertThat(e.estimatedCostMicrodollars()).isEqualTo(300);
            assertThat(e.entityId()).isEqualTo("process");
        });
        held.forEach(r -> r.settle(250));
        awaitHash(PROCESS, "spend", 750);
        assertThat(redis.hgetLong(PROCESS, "reserved")).isZero();

        b.admit(call(250)).settle(250);
        awaitHash(PROCESS, "spend", 1000);
        assertThatThrownBy(() -> a.admit(call(1))).isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.spendMicrodollars()).isEqualTo(1000);
            assertThat(e.reservedMicrodollars()).isZero();
        });
        assertThat(redis.call("ZCARD", "nullspend:holds")).isEqualTo(0L);
    }

    @Test
    void aFleetDenialReadsAsTheLocalGuardsDenial() throws Exception {
        Map<String, String> settings = Map.of("nullspend.budget.limit-usd", "0.001");
        Guard fleet = guard(settings);
        Guard local = Guard.create(config(settings, false), null);
        for (Guard g : List.of(fleet, local)) {
            g.admit(call(400)).settle(350);
            g.admit(call(500));
        }
        awaitHash(PROCESS, "spend", 350);

        NullSpendException fromFleet = denial(fleet, call(200));
        NullSpendException fromLocal = denial(local, call(200));
        assertThat(fromFleet).isInstanceOf(BudgetExceededException.class);
        assertThat(fromFleet.getMessage()).isEqualTo(fromLocal.getMessage())
                .contains("($0.00035 spent, $0.0005 held by calls in flight)");
    }

    @Test
    void aPeriodIsKeyedByItsStartAndExpiresAfterIt() throws Exception {
        Guard g = guard(Map.of("nullspend.budget.limit-usd", "1", "nullspend.budget.reset-interval", "daily"));
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);

        g.admit(call(1234));

        String key = "nullspend:b:user/process:" + day;
        assertThat(redis.hgetLong(key, "reserved")).isEqualTo(1234);
        long expiresAt = (Long) redis.call("PEXPIRETIME", key);
        assertThat(expiresAt).isEqualTo(day.plus(1, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS).toEpochMilli());
    }

    @Test
    void aHoldNeverSettledIsReleasedAfterItsExpiry() throws Exception {
        Guard a = guard(Map.of("nullspend.budget.limit-usd", "0.001", "nullspend.redis.hold-seconds", "1"));
        Guard b = guard(Map.of("nullspend.budget.limit-usd", "0.001", "nullspend.redis.hold-seconds", "1"));
        a.admit(call(900)); // its process dies: never settled
        // Its record stays until a sweep needs it, however long the fleet is idle: were it to expire first,
        // the sweep could not give the 900 back and the budget would stay short of it for good.
        Object records = redis.call("KEYS", "nullspend:h:*");
        assertThat(records).asList().hasSize(1);
        assertThat(redis.call("PTTL", String.valueOf(((java.util.List<?>) records).get(0)))).isEqualTo(-1L);

        assertThat(denial(b, call(200))).isInstanceOf(BudgetExceededException.class);
        Reservation r = admitWithin(b, call(200), 20);

        assertThat(redis.hgetLong(PROCESS, "reserved")).isEqualTo(200);
        assertThat(redis.call("ZCARD", "nullspend:holds")).isEqualTo(1L);
        r.settle(180);
        awaitHash(PROCESS, "spend", 180);
    }

    @Test
    void sessionLimitsAreShared() throws Exception {
        Map<String, String> s = Map.of("nullspend.session.limit-usd", "0.001", "nullspend.session.id", "chat-7");
        Guard a = guard(s);
        Guard b = guard(s);
        CallOwner owner = new CallOwner("chat-7", null, Map.of());
        a.admit(new AdmissionRequest("openai", "gpt-4o", null, 600, owner)).settle(600);
        awaitHash("nullspend:s:chat-7", "spend", 600);

        assertThatThrownBy(() -> b.admit(new AdmissionRequest("openai", "gpt-4o", null, 500, owner)))
                .isInstanceOfSatisfying(SessionLimitExceededException.class, e -> {
                    assertThat(e.sessionSpendMicrodollars()).isEqualTo(600);
                    assertThat(e.sessionLimitMicrodollars()).isEqualTo(1000);
                    assertThat(e.reservedMicrodollars()).isZero();
                });
        long idle = (Long) redis.call("PTTL", "nullspend:s:chat-7");
        assertThat(idle).isBetween(1L, TimeUnit.HOURS.toMillis(24));
    }

    @Test
    void theVelocityBreakerIsSharedAndStaysOpenForEveryProcess() throws Exception {
        Map<String, String> s = Map.of("nullspend.velocity.limit-usd", "0.001", "nullspend.velocity.window-seconds", "60",
                "nullspend.velocity.cooldown-seconds", "60");
        Guard a = guard(s);
        Guard b = guard(s);
        a.admit(call(700));

        assertThatThrownBy(() -> b.admit(call(400))).isInstanceOfSatisfying(VelocityExceededException.class, e -> {
            assertThat(e.currentMicrodollars()).isEqualTo(700);
            assertThat(e.limitMicrodollars()).isEqualTo(1000);
            assertThat(e.retryAfterSeconds()).isEqualTo(60);
        });
        assertThatThrownBy(() -> a.admit(call(1))).isInstanceOfSatisfying(VelocityExceededException.class, e -> {
            assertThat(e.currentMicrodollars()).isEqualTo(700);
            assertThat(e.getMessage()).startsWith("Spend velocity breaker open");
        });
    }

    @Test
    void redisDownFailsClosedWithBudgetUnavailable() throws Exception {
        Guard g = guard(Map.of("nullspend.budget.limit-usd", "1", "nullspend.fail-mode", "closed"));
        g.admit(call(100)).settle(100);
        redis.stop();

        NullSpendException e = denial(g, call(100));
        assertThat(e.getClass()).isEqualTo(NullSpendException.class);
        assertThat(e.code()).isEqualTo("budget_unavailable");
        assertThat(e.recovery().retryable()).isTrue();
        assertThat(denial(g, call(100)).code()).isEqualTo("budget_unavailable");
    }

    @Test
    void redisDownFailsOpenOnLocalSpendAndReconcilesWhenItReturns() throws Exception {
        Guard g = guard(Map.of("nullspend.budget.limit-usd", "0.001", "nullspend.fail-mode", "open"));
        g.admit(call(300)).settle(300);
        awaitHash(PROCESS, "spend", 300);
        redis.stop();

        g.admit(call(400)).settle(400); // local spend 700: admitted
        assertThat(denial(g, call(400))).isInstanceOfSatisfying(BudgetExceededException.class,
                e -> assertThat(e.spendMicrodollars()).isEqualTo(700)); // local enforcement on local spend

        redis.restart(); // empty: persistence is off
        awaitHash(PROCESS, "spend", 400); // the call admitted while it was down, reconciled
        admitWithin(g, call(600), 20).settle(600);
        awaitHash(PROCESS, "spend", 1000);
    }

    @Test
    void aProgramExitingRightAfterItsCallsLeavesTheirSpendInRedis() throws Exception {
        Guard g = guard(Map.of("nullspend.budget.limit-usd", "1"));
        for (int i = 0; i < 50; i++) {
            g.admit(call(500)).settle(321);
        }

        g.shutdown(); // what the agent's exit does

        assertThat(redis.hgetLong(PROCESS, "spend")).isEqualTo(50 * 321);
        assertThat(redis.hgetLong(PROCESS, "reserved")).isZero();
    }

    private Guard guard(Map<String, String> settings) {
        AgentConfig config = config(settings, true);
        SharedLimits fleet = Fleet.start(config);
        fleets.add(fleet);
        return Guard.create(config, null, fleet);
    }

    private AgentConfig config(Map<String, String> settings, boolean fleet) {
        Map<String, String> p = new HashMap<>(settings);
        p.put("nullspend.ledger", "off");
        p.put("nullspend.loop.max-calls", "0");
        if (fleet) {
            p.put("nullspend.redis.url", redis.url());
            p.put("nullspend.redis.timeout-ms", "2000"); // a loaded test machine is not a slow Redis
        }
        return AgentConfig.read(new ConfigSource(p, Map.of(), Map.of(), Map.of(), null));
    }

    private static AdmissionRequest call(long estimate) {
        return new AdmissionRequest("openai", "gpt-4o", null, estimate, CallOwner.NONE);
    }

    private static NullSpendException denial(Guard g, AdmissionRequest request) {
        try {
            g.admit(request);
        } catch (NullSpendException e) {
            return e;
        }
        throw new AssertionError("admitted");
    }

    /** Admits once the store lets it (a hold expiring, Redis coming back), polling for up to {@code seconds}. */
    private static Reservation admitWithin(Guard g, AdmissionRequest request, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return g.admit(request);
            } catch (NullSpendException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Waits for the settle thread to bring {@code field} of {@code key} to {@code expected}. */
    private void awaitHash(String key, String field, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen;
        while ((seen = hget(key, field)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(seen).as("%s %s", key, field).isEqualTo(expected);
    }

    private long hget(String key, String field) {
        try {
            return redis.hgetLong(key, field);
        } catch (IOException down) {
            return -1;
        }
    }
}
