package dev.nullspend.agent.report;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LogThrottleTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void firstIncreaseAtOnceThenAtMostOncePerPeriod() {
        LogThrottle throttle = new LogThrottle(10 * SECOND);
        long t0 = 123 * SECOND;

        assertThat(throttle.due(0, t0)).isFalse();
        assertThat(throttle.due(1, t0)).isTrue();
        assertThat(throttle.due(5, t0 + 9 * SECOND)).isFalse();
        assertThat(throttle.due(9, t0 + 10 * SECOND)).isTrue();
        assertThat(throttle.due(9, t0 + 30 * SECOND)).isFalse();
        assertThat(throttle.due(10, t0 + 31 * SECOND)).isTrue();
    }

    @Test
    void pendingIgnoresThePeriodButNotAnUnchangedCount() {
        LogThrottle throttle = new LogThrottle(10 * SECOND);
        assertThat(throttle.due(3, 0)).isTrue();

        assertThat(throttle.pending(3, SECOND)).isFalse();
        assertThat(throttle.pending(4, SECOND)).isTrue();
        assertThat(throttle.due(5, 2 * SECOND)).isFalse();
    }

    @Test
    void aProgressThrottleWaitsOnePeriodBeforeItsFirstLine() {
        long t0 = 50 * SECOND;
        LogThrottle throttle = LogThrottle.firstAfterOnePeriod(60 * SECOND, t0);

        assertThat(throttle.due(100, t0 + 59 * SECOND)).as("a short run prints no progress").isFalse();
        assertThat(throttle.due(100, t0 + 60 * SECOND)).isTrue();
        assertThat(throttle.due(150, t0 + 100 * SECOND)).isFalse();
        assertThat(throttle.due(150, t0 + 120 * SECOND)).isTrue();
        assertThat(throttle.due(150, t0 + 500 * SECOND)).as("nothing new, nothing logged").isFalse();
    }
}
