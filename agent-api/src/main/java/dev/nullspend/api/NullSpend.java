package dev.nullspend.api;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The few lines of code a program may want on top of the agent's zero-code tracking: report a
 * cost, cost a tool call, and attribute costs to a session, customer, trace or tags.
 *
 * <pre>{@code
 * try (var scope = NullSpend.attribute().session("checkout-7").customer("acme").open()) {
 *     agent.run();                               // every LLM call inside is attributed
 * }
 * Result r = NullSpend.track(search(query), 0.02, "web_search");
 * }</pre>
 *
 * Without the agent ({@link #isActive()} false) every tracking call is a no-op, so a program
 * that uses this class runs unchanged with or without {@code -javaagent}.
 */
public final class NullSpend {

    /**
     * What the agent plugs in. Not for programs: the agent installs it once at start-up.
     */
    public interface Backend {
        /** Queues one event (never blocks, never throws). */
        void report(CostEvent event);

        /** A builder with the run's and the current scope's attribution and a fresh idempotency key. */
        CostEvent.Builder newEvent();
    }

    private static final AtomicReference<Backend> BACKEND = new AtomicReference<>();

    private NullSpend() {
    }

    /** Called by the agent; the first backend wins. */
    public static boolean install(Backend backend) {
        return BACKEND.compareAndSet(null, backend);
    }

    /** True when the NullSpend agent is running in this JVM. */
    public static boolean isActive() {
        return BACKEND.get() != null;
    }

    /** Starts an attribution scope on top of the current one; see {@link Attribution}. */
    public static Attribution.Builder attribute() {
        return new Attribution.Builder(Attribution.current());
    }

    /**
     * A builder pre-filled with the run's attribution (session, customer, trace id, tags from the
     * configuration and the current scope) and a fresh idempotency key; {@code null} without the agent.
     */
    public static CostEvent.Builder newEvent() {
        Backend b = BACKEND.get();
        return b == null ? null : b.newEvent();
    }

    /** Reports one cost event; a no-op without the agent. */
    public static void report(CostEvent event) {
        Backend b = BACKEND.get();
        if (b != null && event != null) {
            b.report(event);
        }
    }

    /** Reports several cost events; a no-op without the agent. */
    public static void reportAll(Collection<CostEvent> events) {
        Backend b = BACKEND.get();
        if (b != null && events != null) {
            for (CostEvent e : events) {
                b.report(e);
            }
        }
    }

    /**
     * Costs one tool call at {@code costUsd} and returns {@code result}: for code that cannot use
     * {@link TrackTool}. The cost is converted half-up from its decimal value (0.00397 → 3,970 µ$).
     */
    public static <T> T track(T result, double costUsd, String toolName) {
        return track(result, costUsd, toolName, null, Map.of());
    }

    /** As {@link #track(Object, double, String)} with a tool server and tags. */
    public static <T> T track(T result, double costUsd, String toolName, String toolServer, Map<String, String> tags) {
        Backend b = BACKEND.get();
        if (b != null) {
            if (costUsd < 0 || Double.isNaN(costUsd) || Double.isInfinite(costUsd)) {
                throw new IllegalArgumentException("a tool cost is a non-negative number of dollars, got " + costUsd);
            }
            b.report(b.newEvent()
                    .eventType(CostEvent.Type.TOOL)
                    .provider("tool")
                    .model("custom")
                    .toolName(toolName)
                    .toolServer(toolServer)
                    .tags(tags)
                    .costMicrodollars(Money.toMicros(costUsd))
                    .build());
        }
        return result;
    }
}
