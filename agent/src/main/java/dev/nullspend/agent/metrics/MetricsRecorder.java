package dev.nullspend.agent.metrics;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.util.List;

/**
 * The {@link Metrics} of a JVM with exporters configured: bounds the labels once for all exporters
 * (so they all show the same series) and hands each event and denial to every exporter. An
 * exporter that fails is said once and the others go on; the program never sees it.
 */
public final class MetricsRecorder implements Metrics {
    /** Distinct values kept per label before {@code other} (docs/metrics.md#cardinality). */
    static final int MAX_PROVIDERS = 50;
    static final int MAX_MODELS = 200;
    static final int MAX_CODES = 50;

    private final LabelCap providers = new LabelCap("provider", MAX_PROVIDERS);
    private final LabelCap models = new LabelCap("model", MAX_MODELS);
    private final LabelCap codes = new LabelCap("code", MAX_CODES);
    private final List<MetricsExporter> exporters;

    public MetricsRecorder(List<MetricsExporter> exporters) {
        this.exporters = List.copyOf(exporters);
    }

    @Override
    public void record(CostEvent event, String endpoint) {
        try {
            EventFigures figures = EventFigures.of(event, providers.bound(event.provider()), models.bound(event.model()),
                    endpoint);
            for (MetricsExporter exporter : exporters) {
                try {
                    exporter.record(figures);
                } catch (Throwable t) {
                    failed(exporter, t);
                }
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("metrics-record:" + t.getClass().getName(), "metrics: could not count an event", t);
        }
    }

    @Override
    public void denial(String provider, String model, String code) {
        try {
            String p = providers.bound(provider);
            String m = models.bound(model);
            String c = codes.bound(code);
            for (MetricsExporter exporter : exporters) {
                try {
                    exporter.denial(p, m, c);
                } catch (Throwable t) {
                    failed(exporter, t);
                }
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("metrics-denial:" + t.getClass().getName(), "metrics: could not count a denial", t);
        }
    }

    @Override
    public void close() {
        for (MetricsExporter exporter : exporters) {
            try {
                exporter.close();
            } catch (Throwable t) {
                failed(exporter, t);
            }
        }
    }

    private static void failed(MetricsExporter exporter, Throwable t) {
        AgentLog.warnOnce("metrics-exporter:" + exporter.getClass().getName() + ":" + t.getClass().getName(),
                "metrics: " + exporter + " failed; its figures may be incomplete, the program is not affected", t);
    }
}
