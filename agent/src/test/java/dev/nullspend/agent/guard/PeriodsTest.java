package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** UTC calendar periods: day 00:00, week from Monday 00:00, month from the 1st. */
class PeriodsTest {

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static String start(ResetInterval i, String now) {
        return Instant.ofEpochMilli(Periods.start(i, ms(now))).toString();
    }

    private static String end(ResetInterval i, String now) {
        return Instant.ofEpochMilli(Periods.end(i, ms(now))).toString();
    }

    @Test
    void daily() {
        assertThat(start(ResetInterval.DAILY, "2026-04-30T23:59:59.999Z")).isEqualTo("2026-04-30T00:00:00Z");
        assertThat(end(ResetInterval.DAILY, "2026-04-30T23:59:59.999Z")).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(start(ResetInterval.DAILY, "2026-05-01T00:00:00Z")).isEqualTo("2026-05-01T00:00:00Z");
    }

    @Test
    void weeklyStartsOnMonday() {
        // 2026-04-30 is a Thursday; 2026-04-27 a Monday
        assertThat(start(ResetInterval.WEEKLY, "2026-04-30T12:00:00Z")).isEqualTo("2026-04-27T00:00:00Z");
        assertThat(end(ResetInterval.WEEKLY, "2026-04-30T12:00:00Z")).isEqualTo("2026-05-04T00:00:00Z");
        assertThat(start(ResetInterval.WEEKLY, "2026-05-03T23:59:59Z")).isEqualTo("2026-04-27T00:00:00Z");
        assertThat(start(ResetInterval.WEEKLY, "2026-05-04T00:00:00Z")).isEqualTo("2026-05-04T00:00:00Z");
    }

    @Test
    void monthly() {
        assertThat(start(ResetInterval.MONTHLY, "2026-02-28T23:00:00Z")).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(end(ResetInterval.MONTHLY, "2026-02-28T23:00:00Z")).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(end(ResetInterval.MONTHLY, "2026-12-31T23:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void noIntervalIsOnePeriodForever() {
        assertThat(Periods.start(ResetInterval.NONE, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(Periods.end(ResetInterval.NONE, 0)).isEqualTo(Long.MAX_VALUE);
    }
}
