package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.log.AgentLog;

/**
 * Where the start's time goes, for {@code nullspend.log.level=debug}: milliseconds since
 * {@code AgentMain} took over, per phase, printed once the instrumentation is installed. A
 * program whose first action is an HTTP client waits at the gate for exactly these phases.
 */
final class StartupClock {
    private final long origin;
    private final StringBuilder phases = new StringBuilder();

    StartupClock(long originNanos) {
        this.origin = originNanos;
    }

    /** Notes that {@code phase} ended now. */
    synchronized void mark(String phase) {
        if (AgentLog.isDebug()) {
            phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ')
                    .append((System.nanoTime() - origin) / 1_000_000);
        }
    }

    /** Logs the phases noted so far (debug only). */
    synchronized void log() {
        if (AgentLog.isDebug() && phases.length() > 0) {
            AgentLog.debug("start-up phases (ms since the agent's start): " + phases);
        }
    }
}
