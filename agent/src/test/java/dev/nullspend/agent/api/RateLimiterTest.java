package dev.nullspend.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aBurstThenOnePermitPerRefillInterval() {
        FakeClock clock = new FakeClock();
        RateLimiter limiter = new RateLimiter(50, 10, clock);

        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire()).as("burst permit %d", i).isZero();
        }
        assertThat(limiter.tryAcquire()).as("60 s / (50 - 10) = 1.5 s to the next").isEqualTo(1_500_000_000L);
        assertThat(limiter.nanosUntilPermit()).isEqualTo(1_500_000_000L);
        clock.advance(1_499, TimeUnit.MILLISECONDS);
        assertThat(limiter.tryAcquire()).isEqualTo(1_000_000L);
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertThat(limiter.tryAcquire()).isZero();
    }

    /** A client that takes every permit as soon as it can never sends more than 50 requests in any 60 s (ends included). */
    @Test
    void noSixtySecondWindowHoldsMoreThanTheLimit() {
        FakeClock clock = new FakeClock();
        RateLimiter limiter = new RateLimiter(50, 10, clock);
        List<Long> sentAt = new ArrayList<>();
        while (sentAt.size() < 500) {
            long wait = limiter.tryAcquire();
            if (wait == 0) {
                sentAt.add(clock.nanoTime());
            } else {
                clock.sleepNanos(wait);
            }
        }
        int maxInWindow = 0;
        for (int i = 0; i < sentAt.size(); i++) {
            int n = 0;
            for (int j = i; j < sentAt.size() && sentAt.get(j) - sentAt.get(i) <= TimeUnit.SECONDS.toNanos(60); j++) {
                n++;
            }
            maxInWindow = Math.max(maxInWindow, n);
        }
        assertThat(maxInWindow).isEqualTo(50);
    }

    @Test
    void burstMustBeBelowThePerMinuteLimit() {
        assertThatThrownBy(() -> new RateLimiter(10, 10, new FakeClock())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(10, 0, new FakeClock())).isInstanceOf(IllegalArgumentException.class);
    }
}
