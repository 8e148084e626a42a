package dev.nullspend.agent.guard;

import dev.nullspend.api.Money;
import dev.nullspend.api.Recovery;
import dev.nullspend.api.VelocityExceededException;

import java.math.BigInteger;

/**
 * A spend-rate circuit breaker (docs/nullspend-api-contract.md#velocity-breaker). Spend is counted in fixed windows; the
 * rate is the proxy's two-window estimate {@code weighted = previous × (window − elapsed) / window
 * + current} (integer, rounded down). A call trips the breaker when {@code weighted + estimate >
 * limit}; while it is open every call is denied with the remaining cool-down; the first call after
 * the cool-down resets the counters and passes.
 *
 * <p>An admitted call adds its estimate to the current window at once, so that a burst of
 * parallel calls is seen before any of them finishes; when it settles, the difference to its
 * actual cost (or, when it is released, its whole estimate) is taken back from the window it was
 * counted in, if that window still counts. Not thread-safe: the guard serialises access.
 */
final class VelocityBreaker {

    /**
     * @param limitMicros     spend allowed per window
     * @param windowSeconds   window length
     * @param cooldownSeconds how long the breaker stays open
     * @param setting         where the limit is configured, for messages
     */
    record Settings(long limitMicros, int windowSeconds, int cooldownSeconds, String setting) {
    }

    private final Settings settings;
    private final long windowNanos;
    private final long cooldownNanos;
    private boolean started;
    private long windowStart;
    private long current;
    private long previous;
    private boolean open;
    private long openUntil;
    private long weightedAtTrip;

    VelocityBreaker(Settings settings) {
        this.settings = settings;
        this.windowNanos = settings.windowSeconds() * 1_000_000_000L;
        this.cooldownNanos = settings.cooldownSeconds() * 1_000_000_000L;
    }

    /** The denial of a call with this estimate, or {@code null}; may open or close the breaker, never counts the call. */
    VelocityExceededException check(long estimateMicros, long nowNanos, Notes notes) {
        if (open) {
            if (nowNanos < openUntil) {
                return openDenial(weightedAtTrip, openUntil - nowNanos);
            }
            open = false;
            started = true;
            windowStart = nowNanos;
            current = 0;
            previous = 0;
            notes.info("spend velocity back to normal after the " + settings.cooldownSeconds()
                    + "s cool-down; calls resume (limit " + Money.usd(settings.limitMicros()) + " per "
                    + settings.windowSeconds() + "s)");
            return null;
        }
        roll(nowNanos);
        long weighted = weighted(nowNanos);
        if (weighted + estimateMicros <= settings.limitMicros()) {
            return null;
        }
        open = true;
        openUntil = nowNanos + cooldownNanos;
        weightedAtTrip = weighted;
        return tripDenial(weighted, estimateMicros);
    }

    Settings settings() {
        return settings;
    }

    /** The denial while the breaker is open, tripped at {@code tripped} spend, for {@code remainingNanos} more. */
    VelocityExceededException openDenial(long tripped, long remainingNanos) {
        int retryAfter = ceilSeconds(remainingNanos);
        return new VelocityExceededException(settings.limitMicros(), settings.windowSeconds(), tripped,
                retryAfter, "Spend velocity breaker open: spend reached " + Money.usd(tripped)
                + " in " + settings.windowSeconds() + "s against a limit of " + Money.usd(settings.limitMicros())
                + " per " + settings.windowSeconds() + "s. Calls resume in " + retryAfter + "s; raise "
                + settings.setting() + " if this rate is expected. See " + Recovery.DOCS_BASE + "velocity");
    }

    /** The denial of the call that trips the breaker: {@code weighted} spent in the window, plus its estimate. */
    VelocityExceededException tripDenial(long weighted, long estimateMicros) {
        return new VelocityExceededException(settings.limitMicros(), settings.windowSeconds(), weighted,
                settings.cooldownSeconds(), "Spend velocity exceeded: " + Money.usd(weighted) + " spent in the last "
                + settings.windowSeconds() + "s, and this call may cost up to " + Money.usd(estimateMicros)
                + ", against a limit of " + Money.usd(settings.limitMicros()) + " per " + settings.windowSeconds()
                + "s. Calls are paused for " + settings.cooldownSeconds() + "s; raise " + settings.setting()
                + " if this rate is expected. See " + Recovery.DOCS_BASE + "velocity");
    }

    /** Counts an admitted call's estimate; returns the window it went into, for {@link #adjust}. */
    long count(long estimateMicros, long nowNanos) {
        roll(nowNanos);
        current += estimateMicros;
        return windowStart;
    }

    /** Corrects the window {@code countedIn} by {@code deltaMicros} (actual − estimate, or −estimate), if it still counts. */
    void adjust(long countedIn, long deltaMicros, long nowNanos) {
        roll(nowNanos);
        if (countedIn == windowStart) {
            current = Math.max(0, current + deltaMicros);
        } else if (countedIn == windowStart - windowNanos) {
            previous = Math.max(0, previous + deltaMicros);
        }
    }

    /** The two-window estimate now (tests). */
    long weighted(long nowNanos) {
        roll(nowNanos);
        long remaining = windowNanos - (nowNanos - windowStart);
        return current + mulDiv(previous, remaining, windowNanos);
    }

    private void roll(long nowNanos) {
        if (!started) {
            started = true;
            windowStart = nowNanos;
            return;
        }
        long elapsed = nowNanos - windowStart;
        if (elapsed < windowNanos) {
            return;
        }
        long windows = elapsed / windowNanos;
        previous = windows == 1 ? current : 0;
        current = 0;
        windowStart += windows * windowNanos;
    }

    /** {@code floor(a × b / c)} for non-negative values, exact even when {@code a × b} overflows a long. */
    static long mulDiv(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }

    private static int ceilSeconds(long nanos) {
        return (int) ((nanos + 999_999_999L) / 1_000_000_000L);
    }
}
