package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * UTC calendar periods of local budgets: a day starts at 00:00, a week on Monday 00:00, a month
 * on the 1st 00:00. A budget without a reset interval has one period that never ends. Remote
 * budgets' periods are anchored where the NullSpend API says they start ({@link #after}).
 */
final class Periods {
    private Periods() {
    }

    /** Start (inclusive, epoch ms) of the period containing {@code nowMillis}; {@link Long#MIN_VALUE} for no interval. */
    static long start(ResetInterval interval, long nowMillis) {
        if (interval == ResetInterval.NONE) {
            return Long.MIN_VALUE;
        }
        return toMillis(firstDay(interval, day(nowMillis)));
    }

    /** End (exclusive, epoch ms) of the period containing {@code nowMillis}; {@link Long#MAX_VALUE} for no interval. */
    static long end(ResetInterval interval, long nowMillis) {
        if (interval == ResetInterval.NONE) {
            return Long.MAX_VALUE;
        }
        LocalDate first = firstDay(interval, day(nowMillis));
        LocalDate next = switch (interval) {
            case DAILY -> first.plusDays(1);
            case WEEKLY -> first.plusWeeks(1);
            case MONTHLY -> first.plusMonths(1);
            case NONE -> throw new IllegalArgumentException("no period");
        };
        return toMillis(next);
    }

    /**
     * The end of a period of {@code interval} that starts at {@code startMillis}, as the NullSpend
     * API rolls its budgets forward from their own start (UTC month arithmetic); {@link Long#MAX_VALUE}
     * for no interval.
     */
    static long after(ResetInterval interval, long startMillis) {
        if (interval == ResetInterval.NONE || startMillis == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        ZonedDateTime start = Instant.ofEpochMilli(startMillis).atZone(ZoneOffset.UTC);
        ZonedDateTime end = switch (interval) {
            case DAILY -> start.plusDays(1);
            case WEEKLY -> start.plusWeeks(1);
            case MONTHLY -> start.plusMonths(1);
            case NONE -> throw new IllegalArgumentException("no period");
        };
        return end.toInstant().toEpochMilli();
    }

    private static LocalDate firstDay(ResetInterval interval, LocalDate day) {
        return switch (interval) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
            case NONE -> throw new IllegalArgumentException("no period");
        };
    }

    private static LocalDate day(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static long toMillis(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
