package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.cli.UsageException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start of the period a report covers: {@code --since 24h|7d|30d} (any count of hours or
 * days back from now) or {@code --since YYYY-MM-DD} (that day's start, UTC, as the ledger's
 * {@code createdAt}). Events created before it are left out.
 *
 * @param from the first instant counted
 * @param text what the user wrote, for the report's headline
 */
public record Since(Instant from, String text) {

    private static final Pattern RELATIVE = Pattern.compile("([1-9][0-9]{0,5})([hd])");

    public static Since parse(String text, Clock clock) throws UsageException {
        Matcher m = RELATIVE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration back = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
            return new Since(clock.instant().minus(back), text);
        }
        try {
            return new Since(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant(), text);
        } catch (DateTimeParseException e) {
            throw new UsageException("report: --since '" + text + "' is not 24h, 7d, 30d (hours or days back) or a date YYYY-MM-DD");
        }
    }

    public boolean includes(Instant createdAt) {
        return !createdAt.isBefore(from);
    }
}
