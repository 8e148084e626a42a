package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.guard.BudgetRule.EntityType;
import dev.nullspend.agent.guard.BudgetRule.Policy;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** Admissions from many threads: holds never let spend pass a limit, and no count is lost. */
class GuardConcurrencyTest {
    private static final long USER_LIMIT = 10_000_000;
    private static final long TAG_LIMIT = 8_000_000;
    private static final long SESSION_LIMIT = 6_000_000;
    private static final int THREADS = 64;
    private static final int CALLS_PER_THREAD = 120;

    private final FakeClock clock = new FakeClock("2026-04-30T12:00:00Z");

    @Test
    void sixtyFourThreadsNeverTakeSpendPastAnyLimit() throws Exception {
        List<BudgetRule> budgets = List.of(
                GuardTest.processBudget(USER_LIMIT),
                GuardTest.budget(EntityType.TAG, "team=a", TAG_LIMIT, ResetInterval.NONE, Policy.STRICT_BLOCK));
        Guard guard = new Guard(new GuardSettings(Enforcement.ON, List.of(), List.of(), budgets, null, SESSION_LIMIT,
                GuardTest.LOOP_OFF, List.of()), clock, null);
        CallOwner who = new CallOwner("s", null, Map.of("team", "a"));
        AtomicLong settled = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        AtomicLong denied = new AtomicLong();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        List<Throwable> failures = race(THREADS, t -> {
            SplittableRandom random = new SplittableRandom(1_000 + t);
            // each thread keeps up to 3 calls in flight, as a program with parallel requests does
            ArrayDeque<long[]> inFlight = new ArrayDeque<>();
            ArrayDeque<Reservation> reservations = new ArrayDeque<>();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
                long estimate = 1 + random.nextLong(50_000);
                try {
                    reservations.add(guard.admit(GuardTest.request(estimate, who)));
                    inFlight.add(new long[] {estimate});
                    admitted.incrementAndGet();
                } catch (NullSpendException e) {
                    denied.incrementAndGet();
                    check(e, estimate, violations);
                }
                if (reservations.size() > 3 || (i == CALLS_PER_THREAD - 1)) {
                    while (!reservations.isEmpty()) {
                        long est = inFlight.removeFirst()[0];
                        Reservation r = reservations.removeFirst();
                        if (random.nextInt(10) == 0) {
                            r.release();
                        } else {
                            long actual = random.nextLong(est + 1);
                            r.settle(actual);
                            settled.addAndGet(actual);
                        }
                        if (reservations.size() <= 1) {
                            break;
                        }
                    }
                }
            }
            while (!reservations.isEmpty()) {
                long est = inFlight.removeFirst()[0];
                long actual = random.nextLong(est + 1);
                reservations.removeFirst().settle(actual);
                settled.addAndGet(actual);
            }
        });

        assertThat(failures).isEmpty();
        assertThat(violations).isEmpty();
        assertThat(admitted.get() + denied.get()).isEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(admitted.get()).isPositive();
        assertThat(denied.get()).isPositive();
        for (BudgetStatus s : guard.budgets()) {
            assertThat(s.spendMicros()).as(s.entityId()).isEqualTo(settled.get());
            assertThat(s.reservedMicros()).as(s.entityId()).isZero();
        }
        assertThat(settled.get()).isLessThanOrEqualTo(SESSION_LIMIT);
        // the session account agrees to the microdollar: one more microdollar than is left is denied
        long left = SESSION_LIMIT - settled.get();
        SessionLimitExceededException last = catchThrowableOfType(
                () -> guard.admit(GuardTest.request(left + 1, who)), SessionLimitExceededException.class);
        assertThat(last.sessionSpendMicrodollars()).isEqualTo(settled.get());
        assertThat(last.reservedMicrodollars()).isZero();
        guard.admit(GuardTest.request(left, who)).settle(left);
        assertThat(guard.budgets().get(0).spendMicros()).isEqualTo(SESSION_LIMIT);
    }

    /** A denial's figures show why it was denied, and that the holds it saw were within the limit. */
    private static void check(NullSpendException e, long estimate, Queue<String> violations) {
        if (e instanceof SessionLimitExceededException s) {
            check(SESSION_LIMIT, "session", s.sessionLimitMicrodollars(), s.sessionSpendMicrodollars(), s.reservedMicrodollars(),
                    s.estimatedCostMicrodollars(), estimate, violations);
        } else if (e instanceof TagBudgetExceededException t) {
            check(TAG_LIMIT, "tag", t.limitMicrodollars(), t.spendMicrodollars(), t.reservedMicrodollars(),
                    t.estimatedCostMicrodollars(), estimate, violations);
        } else if (e instanceof BudgetExceededException b) {
            check(USER_LIMIT, "user", b.limitMicrodollars(), b.spendMicrodollars(), b.reservedMicrodollars(),
                    b.estimatedCostMicrodollars(), estimate, violations);
        } else {
            violations.add("unexpected denial " + e);
        }
    }

    /** The figures of a denial of the {@code kind} limit, which is {@code expectedLimit}. */
    private static void check(long expectedLimit, String kind, long limit, long spend, long reserved, long est, long estimate,
                              Queue<String> violations) {
        expect(limit == expectedLimit, kind + " limit " + limit, violations);
        expect(est == estimate, "estimate " + est + " != " + estimate, violations);
        expect(spend >= 0 && reserved >= 0, "negative figures " + spend + "/" + reserved, violations);
        expect(spend + reserved + est > limit, "denied although " + spend + "+" + reserved + "+" + est + " <= " + limit,
                violations);
        expect(spend + reserved <= limit, "overshoot " + spend + "+" + reserved + " > " + limit, violations);
    }

    private static void expect(boolean ok, String violation, Queue<String> violations) {
        if (!ok) {
            violations.add(violation);
        }
    }

    @Test
    void tenThreadsTimesFiftyIdenticalCallsLoseNoCount() throws Exception {
        LoopDetector.Settings loop = new LoopDetector.Settings(501, 60, 5, "nullspend.loop.max-calls",
                "nullspend.loop.aggregate-max-keys");
        Guard guard = new Guard(new GuardSettings(Enforcement.ON, List.of(), List.of(), List.of(), null, null, loop, List.of()), clock, null);
        try (LogCapture log = new LogCapture()) {
            assertThat(race(10, t -> {
                for (int i = 0; i < 50; i++) {
                    guard.admit(GuardTest.request(1));
                }
            })).isEmpty();
            LoopDetectedException loopDenial = catchThrowableOfType(() -> guard.admit(GuardTest.request(1)),
                    LoopDetectedException.class);
            assertThat(loopDenial.callCount()).isEqualTo(501);
            assertThat(log.lines()).filteredOn(l -> l.contains("approaching")).containsExactly(
                    "[nullspend] WARN approaching loop threshold for gpt-4o (400/501 calls in 60s window)");
        }
    }

    /** Runs {@code body} on {@code count} threads released at once; returns, once all have ended, what they threw. */
    private static List<Throwable> race(int count, IntConsumer body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int n = t;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    body.accept(n);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return List.copyOf(failures);
    }
}
