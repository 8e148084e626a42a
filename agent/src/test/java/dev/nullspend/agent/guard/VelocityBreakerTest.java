package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.api.VelocityExceededException;
import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#velocity-breaker: two-window estimate, trip, cool-down, reset. */
class VelocityBreakerTest {
    private static final long SECOND = 1_000_000_000L;
    private final long t0 = 5_000 * SECOND;
    private final VelocityBreaker breaker = new VelocityBreaker(
            new VelocityBreaker.Settings(1_000_000, 60, 30, "nullspend.velocity.limit-usd"));

    @Test
    void tripsWhenWeightedSpendPlusEstimatePassesTheLimit() {
        assertThat(breaker.check(400_000, t0, new Notes())).isNull();
        breaker.count(400_000, t0);
        // exactly at the limit passes
        assertThat(breaker.check(600_000, t0 + 10 * SECOND, new Notes())).isNull();
        breaker.count(600_000, t0 + 10 * SECOND);

        VelocityExceededException d = breaker.check(1, t0 + 20 * SECOND, new Notes());
        assertThat(d).isNotNull();
        assertThat(d.limitMicrodollars()).isEqualTo(1_000_000);
        assertThat(d.currentMicrodollars()).isEqualTo(1_000_000);
        assertThat(d.windowSeconds()).isEqualTo(60);
        assertThat(d.retryAfterSeconds()).isEqualTo(30);
        assertThat(d.recovery().retryable()).isTrue();
        assertThat(d.recovery().retryAfterSeconds()).isEqualTo(30);
        assertThat(d.getMessage()).isEqualTo("Spend velocity exceeded: $1.00 spent in the last 60s, and this call may"
                + " cost up to $0.000001, against a limit of $1.00 per 60s. Calls are paused for 30s; raise"
                + " nullspend.velocity.limit-usd if this rate is expected. See https://nullspend.dev/docs/errors/velocity");
    }

    @Test
    void whileOpenEveryCallIsDeniedWithTheRemainingCooldownRoundedUp() {
        breaker.count(1_000_000, t0);
        assertThat(breaker.check(1, t0, new Notes()).retryAfterSeconds()).isEqualTo(30);
        VelocityExceededException open = breaker.check(0, t0 + 500_000_000L, new Notes());
        assertThat(open.retryAfterSeconds()).isEqualTo(30); // 29.5 s left
        assertThat(open.currentMicrodollars()).isEqualTo(1_000_000);
        assertThat(open.getMessage()).isEqualTo("Spend velocity breaker open: spend reached $1.00 in 60s against a"
                + " limit of $1.00 per 60s. Calls resume in 30s; raise nullspend.velocity.limit-usd if this rate is"
                + " expected. See https://nullspend.dev/docs/errors/velocity");
        assertThat(breaker.check(0, t0 + 29 * SECOND + SECOND / 10, new Notes()).retryAfterSeconds()).isEqualTo(1);
        assertThat(breaker.check(0, t0 + 30 * SECOND - 1, new Notes()).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void theFirstCallAfterTheCooldownResetsTheCountersAndPasses() {
        breaker.count(1_000_000, t0);
        assertThat(breaker.check(1, t0, new Notes())).isNotNull();
        try (LogCapture log = new LogCapture()) {
            Notes notes = new Notes();
            // even an estimate above the limit passes: the breaker just closed
            assertThat(breaker.check(5_000_000, t0 + 30 * SECOND, notes)).isNull();
            notes.print();
            assertThat(log.lines()).containsExactly("[nullspend] spend velocity back to normal after the 30s"
                    + " cool-down; calls resume (limit $1.00 per 60s)");
        }
        assertThat(breaker.weighted(t0 + 30 * SECOND)).isZero();
        assertThat(breaker.check(1_000_000, t0 + 31 * SECOND, new Notes())).isNull();
    }

    @Test
    void thePreviousWindowWeighsLessAsTheCurrentOneAges() {
        breaker.count(600_000, t0);
        assertThat(breaker.weighted(t0 + 59 * SECOND)).isEqualTo(600_000);
        assertThat(breaker.weighted(t0 + 60 * SECOND)).isEqualTo(600_000);
        assertThat(breaker.weighted(t0 + 90 * SECOND)).isEqualTo(300_000);
        assertThat(breaker.weighted(t0 + 105 * SECOND)).isEqualTo(150_000);
        // 600,000 × 1/3 s of 60 s, rounded down
        assertThat(breaker.weighted(t0 + 120 * SECOND - SECOND / 3)).isEqualTo(3_333);
        assertThat(breaker.weighted(t0 + 120 * SECOND)).isZero();
    }

    @Test
    void twoIdleWindowsForgetEverything() {
        breaker.count(600_000, t0);
        breaker.count(100_000, t0 + 61 * SECOND);
        assertThat(breaker.weighted(t0 + 61 * SECOND)).isEqualTo(100_000 + 590_000);
        assertThat(breaker.weighted(t0 + 181 * SECOND)).isZero();
    }

    @Test
    void settlingCorrectsTheWindowTheEstimateWentInto() {
        long w = breaker.count(500_000, t0);
        breaker.adjust(w, -400_000, t0 + SECOND);
        assertThat(breaker.weighted(t0 + SECOND)).isEqualTo(100_000);
        long w2 = breaker.count(300_000, t0 + 2 * SECOND);
        // in the next window the first window is the previous one
        breaker.adjust(w2, -300_000, t0 + 60 * SECOND);
        assertThat(breaker.weighted(t0 + 60 * SECOND)).isEqualTo(100_000);
        // a window that no longer counts is left alone
        breaker.adjust(w2, 1_000_000, t0 + 200 * SECOND);
        assertThat(breaker.weighted(t0 + 200 * SECOND)).isZero();
        // never below zero
        long w3 = breaker.count(10, t0 + 200 * SECOND);
        breaker.adjust(w3, -50, t0 + 200 * SECOND);
        assertThat(breaker.weighted(t0 + 200 * SECOND)).isZero();
    }

    @Test
    void mulDivIsExactBeyondLongProducts() {
        long window = 3_600 * SECOND;
        assertThat(VelocityBreaker.mulDiv(4_000_000_000_000_000L, window, window)).isEqualTo(4_000_000_000_000_000L);
        assertThat(VelocityBreaker.mulDiv(4_000_000_000_000_000L, window / 3, window)).isEqualTo(1_333_333_333_333_333L);
        assertThat(VelocityBreaker.mulDiv(7, 5, 2)).isEqualTo(17);
    }
}
