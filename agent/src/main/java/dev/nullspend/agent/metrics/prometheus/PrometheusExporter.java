package dev.nullspend.agent.metrics.prometheus;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.metrics.EventFigures;
import dev.nullspend.agent.metrics.MetricsExporter;
import dev.nullspend.agent.metrics.MetricsThreads;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the metrics as Prometheus text at {@code http://HOST:PORT/metrics} with the Prometheus Java
 * client's own HTTP server, on a registry of its own (docs/metrics.md). Loaded by the metrics class
 * loader only.
 */
public final class PrometheusExporter implements MetricsExporter {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter cost = counter("nullspend_cost_microdollars_total",
            "Cost of the recorded events in microdollars (1 USD = 1,000,000)", "provider", "model");
    private final Counter calls = counter("nullspend_llm_calls_total", "LLM calls costed", "provider", "model");
    private final Counter tokens = counter("nullspend_tokens_total",
            "Tokens of the LLM calls by type (cached is part of input, reasoning part of output)",
            "provider", "model", "type");
    private final Counter denials = counter("nullspend_denials_total", "Calls denied before they were sent",
            "provider", "model", "code");
    private String url;
    private HTTPServer server;

    private PrometheusExporter() {
    }

    /** Binds {@code nullspend.metrics.prometheus.host:port} and serves; throws, naming the address, when it cannot. */
    public static PrometheusExporter start(AgentConfig config) throws IOException {
        return start(config.metricsPrometheusHost, config.metricsPrometheusPort);
    }

    /** As {@link #start(AgentConfig)}; port 0 (the tests) takes a free one. */
    static PrometheusExporter start(String host, int port) throws IOException {
        PrometheusExporter exporter = new PrometheusExporter();
        exporter.url = url(host, port);
        ExecutorService executor = Executors.newSingleThreadExecutor(MetricsThreads.named("nullspend-metrics-http"));
        try {
            exporter.server = HTTPServer.builder().hostname(host).port(port).registry(exporter.registry)
                    .executorService(executor).buildAndStart();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new IOException("cannot serve Prometheus metrics at " + exporter.url + " (" + e + ")", e);
        }
        exporter.url = url(host, exporter.server.getPort());
        AgentLog.info("metrics: Prometheus text served at " + exporter.url);
        return exporter;
    }

    private static String url(String host, int port) {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/metrics";
    }

    /** The port it serves on. */
    int port() {
        return server.getPort();
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    @Override
    public void record(EventFigures f) {
        cost.labelValues(f.provider(), f.model()).inc(f.costMicros());
        if (!f.llmCall()) {
            return;
        }
        calls.labelValues(f.provider(), f.model()).inc();
        tokens.labelValues(f.provider(), f.model(), "input").inc(f.inputTokens());
        tokens.labelValues(f.provider(), f.model(), "output").inc(f.outputTokens());
        tokens.labelValues(f.provider(), f.model(), "cached").inc(f.cachedTokens());
        tokens.labelValues(f.provider(), f.model(), "reasoning").inc(f.reasoningTokens());
    }

    @Override
    public void denial(String provider, String model, String code) {
        denials.labelValues(provider, model, code).inc();
    }

    /**
     * Nothing: the endpoint serves until the JVM is gone (its thread is a daemon). Stopping the JDK's
     * server waits for the exchanges it has open, a scraper's idle keep-alive one too, which would
     * hold the JVM's exit for seconds.
     */
    @Override
    public void close() {
    }

    /** Frees the port (the tests). */
    void stop() {
        server.close();
    }

    @Override
    public String toString() {
        return "the Prometheus endpoint " + url;
    }
}
