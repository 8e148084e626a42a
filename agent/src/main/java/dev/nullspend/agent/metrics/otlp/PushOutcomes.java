package dev.nullspend.agent.metrics.otlp;

import dev.nullspend.agent.log.AgentLog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the OTLP pushes and their failures: the first failure is said once (a collector that is
 * down must not fill the program's log every interval), and at exit a line gives how many failed.
 */
final class PushOutcomes {
    private final String url;
    private final int intervalMs;
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    PushOutcomes(String url, int intervalMs) {
        this.url = url;
        this.intervalMs = intervalMs;
    }

    void succeeded() {
        pushes.incrementAndGet();
    }

    void failed(Throwable cause) {
        pushes.incrementAndGet();
        failures.incrementAndGet();
        AgentLog.warnOnce("metrics-otlp-push", "metrics: the OTLP push to " + url + " failed ("
                + (cause == null ? "no reason given" : cause.getMessage()) + "); the program is not affected, the"
                + " next push (every " + intervalMs + " ms, and at exit) carries the totals again; later failures are"
                + " counted, not logged");
    }

    long failures() {
        return failures.get();
    }

    /** At exit, after the last push: how many failed, when any did. */
    void summarize() {
        long failed = failures.get();
        if (failed > 0) {
            AgentLog.warn("metrics: " + failed + " of " + pushes.get() + " OTLP pushes to " + url + " failed");
        }
    }
}
