package dev.nullspend.agent.report;

/**
 * Decides when a growing count (dropped events) deserves a log line: the first increase at
 * once, later ones at most once per period, so a flood of drops is neither silent nor noisy.
 * Not thread-safe: used by the reporter thread only.
 */
final class LogThrottle {
    private final long periodNanos;
    private long loggedCount;
    private long lastLogNanos;
    private boolean everLogged;

    LogThrottle(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /**
     * A throttle whose first line is due one period after {@code startNanos}, not at the first
     * increase: for progress lines, which a short run should not print at all.
     */
    static LogThrottle firstAfterOnePeriod(long periodNanos, long startNanos) {
        LogThrottle throttle = new LogThrottle(periodNanos);
        throttle.lastLogNanos = startNanos;
        throttle.everLogged = true;
        return throttle;
    }

    /** True when {@code count} has grown since the last line and a line is due; records that it is logged. */
    boolean due(long count, long nowNanos) {
        if (count == loggedCount || (everLogged && nowNanos - lastLogNanos < periodNanos)) {
            return false;
        }
        return markLogged(count, nowNanos);
    }

    /** True when {@code count} has grown since the last line, ignoring the period (final report at shutdown). */
    boolean pending(long count, long nowNanos) {
        return count != loggedCount && markLogged(count, nowNanos);
    }

    private boolean markLogged(long count, long nowNanos) {
        loggedCount = count;
        lastLogNanos = nowNanos;
        everLogged = true;
        return true;
    }
}
