package dev.nullspend.agent.metrics;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.log.AgentLog;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the configured exporters (docs/metrics.md). With neither {@code nullspend.metrics.prometheus.port}
 * nor {@code nullspend.metrics.otlp.endpoint} it returns {@link Metrics#NONE} and loads nothing else.
 * An exporter that cannot start (a port in use, an invalid host) is said once and left out; the
 * agent and the program run on.
 */
public final class MetricsStart {
    /** Named by string: a class literal would have the bootstrap loader load (and fail to link) them. */
    static final String PROMETHEUS = "dev.nullspend.agent.metrics.prometheus.PrometheusExporter";
    static final String OTLP = "dev.nullspend.agent.metrics.otlp.OtlpExporter";

    private MetricsStart() {
    }

    /**
     * @param agentJar the agent jar, whose relocated libraries a {@link MetricsClassLoader} loads; null
     *                 when the exporters are on this class's own class path (the agent's unit tests)
     */
    public static Metrics start(AgentConfig config, File agentJar) {
        if (config.metricsPrometheusPort == null && config.metricsOtlpEndpoint == null) {
            return Metrics.NONE;
        }
        try {
            ClassLoader loader = agentJar == null ? MetricsStart.class.getClassLoader() : new MetricsClassLoader(agentJar);
            List<MetricsExporter> exporters = new ArrayList<>(2);
            if (config.metricsPrometheusPort != null) {
                add(exporters, loader, PROMETHEUS, config, "no Prometheus metrics in this run");
            }
            if (config.metricsOtlpEndpoint != null) {
                add(exporters, loader, OTLP, config, "no OTLP metrics in this run");
            }
            return exporters.isEmpty() ? Metrics.NONE : new MetricsRecorder(exporters);
        } catch (Throwable t) {
            AgentLog.warn("metrics: cannot start; no metrics in this run, the agent runs on", t);
            return Metrics.NONE;
        }
    }

    /** Calls the exporter's {@code static start(AgentConfig)}; its failure's message says what could not be done. */
    private static void add(List<MetricsExporter> exporters, ClassLoader loader, String className, AgentConfig config,
                            String consequence) throws ReflectiveOperationException {
        try {
            Class<?> type = Class.forName(className, true, loader);
            exporters.add((MetricsExporter) type.getMethod("start", AgentConfig.class).invoke(null, config));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            AgentLog.warn("metrics: " + cause.getMessage() + "; " + consequence + ", the agent runs on");
            AgentLog.debug("metrics: " + className + " failed to start: " + cause);
        }
    }
}
