package dev.nullspend.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reference fixtures of docs/nullspend-api-contract.md#retry-and-backoff. */
class RetryPolicyTest {
    private static final long NOW = FakeClock.EPOCH_MILLIS;
    private static final long MS = 1_000_000;
    private final RetryPolicy policy = RetryPolicy.defaults();

    @Test
    void retryAfterFixtures() {
        assertThat(policy.retryAfterNanos("2", NOW)).isEqualTo(2_000 * MS);
        assertThat(policy.retryAfterNanos("0.5", NOW)).isEqualTo(500 * MS);
        assertThat(policy.retryAfterNanos(" 1.25 ", NOW)).isEqualTo(1_250 * MS);
        assertThat(policy.retryAfterNanos("100", NOW)).as("capped at the 5 s maximum").isEqualTo(5_000 * MS);
        assertThat(policy.retryAfterNanos("-1", NOW)).as("negative: ignored").isEqualTo(-1);
        assertThat(policy.retryAfterNanos("NaN", NOW)).isEqualTo(-1);
        assertThat(policy.retryAfterNanos("Infinity", NOW)).isEqualTo(-1);
        assertThat(policy.retryAfterNanos("soon", NOW)).isEqualTo(-1);
        assertThat(policy.retryAfterNanos("", NOW)).isEqualTo(-1);
        assertThat(policy.retryAfterNanos(null, NOW)).isEqualTo(-1);
    }

    @Test
    void retryAfterHttpDates() {
        // NOW is Sun, 12 Apr 2026 10:00:00 GMT
        assertThat(policy.retryAfterNanos("Sun, 12 Apr 2026 10:00:03 GMT", NOW)).isEqualTo(3_000 * MS);
        assertThat(policy.retryAfterNanos("Sun, 12 Apr 2026 09:59:00 GMT", NOW)).as("past date").isZero();
        assertThat(policy.retryAfterNanos("Sun, 12 Apr 2026 11:00:00 GMT", NOW)).as("capped").isEqualTo(5_000 * MS);
    }

    @Test
    void retryAfterReplacesTheJitterCappedAtBaseTimesTwoToTheNextAttempt() {
        assertThat(policy.delayNanos(0, "100", NOW, 0.99)).as("1 s before the first retry").isEqualTo(1_000 * MS);
        assertThat(policy.delayNanos(1, "100", NOW, 0.99)).as("2 s before the second").isEqualTo(2_000 * MS);
        assertThat(policy.delayNanos(0, "0.25", NOW, 0.99)).as("never added to the jitter").isEqualTo(250 * MS);
        assertThat(policy.delayNanos(0, "0", NOW, 0.99)).isZero();
        assertThat(policy.delayNanos(0, "-1", NOW, 0.5)).as("unusable: jitter").isEqualTo(250 * MS);
    }

    @Test
    void retryAfterZeroWithATenSecondBaseFinishesAtOnce() {
        RetryPolicy slow = new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(30));

        assertThat(slow.delayNanos(0, "0", NOW, 0.99)).isZero();
    }

    @Test
    void fullJitterIsBoundedByBaseTimesTwoToTheAttemptAndTheMaximum() {
        assertThat(policy.jitterNanos(0, 0.999_999)).isLessThanOrEqualTo(500 * MS).isGreaterThan(499 * MS);
        assertThat(policy.jitterNanos(1, 0.999_999)).isLessThanOrEqualTo(1_000 * MS);
        assertThat(policy.jitterNanos(3, 0.999_999)).isLessThanOrEqualTo(5_000 * MS).isGreaterThan(3_999 * MS);
        assertThat(policy.jitterNanos(4, 0.999_999)).isLessThanOrEqualTo(5_000 * MS).isGreaterThan(4_999 * MS);
        assertThat(policy.jitterNanos(10, 0.999_999)).isLessThanOrEqualTo(5_000 * MS);
        assertThat(policy.jitterNanos(0, 0.0)).as("at least 1 ms").isEqualTo(MS);
        assertThat(policy.jitterNanos(2, 0.5)).isEqualTo(1_000 * MS);
    }

    @Test
    void retryableStatuses() {
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertThat(RetryPolicy.isRetryable(status)).as("%d", status).isTrue();
        }
        for (int status : new int[] {200, 400, 401, 403, 404, 409, 413, 415, 422, 501}) {
            assertThat(RetryPolicy.isRetryable(status)).as("%d", status).isFalse();
        }
    }

    @Test
    void maxRetriesIsClampedToZeroToTen() {
        assertThat(new RetryPolicy(-3, Duration.ofMillis(500), Duration.ofSeconds(5)).maxRetries()).isZero();
        assertThat(new RetryPolicy(42, Duration.ofMillis(500), Duration.ofSeconds(5)).maxRetries()).isEqualTo(10);
        assertThat(RetryPolicy.defaults().maxRetries()).isEqualTo(2);
    }
}
