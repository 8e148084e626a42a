package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

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

    /** The period {@code now} falls in: from {@code start} (inclusive) to {@code end}, the next period's start. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvFileSource(resources = "/guard/periods.csv", delimiter = '|', numLinesToSkip = 1)
    void thePeriodAnInstantFallsIn(ResetInterval interval, String now, String start, String end) {
        assertThat(start(interval, now)).isEqualTo(start);
        assertThat(end(interval, now)).isEqualTo(end);
    }

    @Test
    void noIntervalIsOnePeriodForever() {
        assertThat(Periods.start(ResetInterval.NONE, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(Periods.end(ResetInterval.NONE, 0)).isEqualTo(Long.MAX_VALUE);
    }
}
