package dev.nullspend.agent.metrics;

import dev.nullspend.agent.log.AgentLog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the distinct values of one label: the first {@code max} values seen are kept, every later
 * one becomes {@value #OTHER}, and that is said once. A dashboard's series (and the memory of every
 * exporter) stay bounded whatever model names the program sends.
 */
final class LabelCap {
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";

    private final String label;
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    LabelCap(String label, int max) {
        this.label = label;
        this.max = max;
    }

    /** {@code value} when it is one of the first {@code max}, {@value #OTHER} after; {@value #UNKNOWN} for none. */
    String bound(String value) {
        String v = value == null || value.isEmpty() ? UNKNOWN : value;
        if (seen.contains(v)) {
            return v;
        }
        synchronized (this) { // exactly max values, however many threads bring new ones at once
            if (seen.size() < max) {
                seen.add(v);
                return v;
            }
        }
        AgentLog.warnOnce("metrics-cap:" + label, "metrics: more than " + max + " distinct " + label + " values; the"
                + " later ones are counted under " + label + "=\"" + OTHER + "\" (docs/metrics.md#cardinality)");
        return OTHER;
    }
}
