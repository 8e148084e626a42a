package dev.nullspend.agent.metrics.prometheus;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.agent.metrics.KnownEvents;
import dev.nullspend.agent.metrics.Metrics;
import dev.nullspend.agent.metrics.MetricsRecorder;
import dev.nullspend.agent.metrics.MetricsStart;
import dev.nullspend.agent.testing.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusExporterTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private PrometheusExporter exporter;

    @AfterEach
    void stop() {
        if (exporter != null) {
            exporter.stop();
        }
    }

    @Test
    void aScrapeShowsTheExactCountersOfKnownEvents() throws Exception {
        exporter = PrometheusExporter.start("127.0.0.1", 0);
        KnownEvents.recordInto(new MetricsRecorder(List.of(exporter)));

        Map<String, String> samples = PrometheusScrape.samples(exporter.port());

        assertThat(samples).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("nullspend_cost_microdollars_total{model=gpt-4o,provider=openai}", "6250.0"),
                Map.entry("nullspend_cost_microdollars_total{model=claude-sonnet-4-5,provider=anthropic}", "12345.0"),
                Map.entry("nullspend_cost_microdollars_total{model=custom,provider=tool}", "250.0"),
                Map.entry("nullspend_llm_calls_total{model=gpt-4o,provider=openai}", "2.0"),
                Map.entry("nullspend_llm_calls_total{model=claude-sonnet-4-5,provider=anthropic}", "1.0"),
                Map.entry("nullspend_tokens_total{model=gpt-4o,provider=openai,type=input}", "1300.0"),
                Map.entry("nullspend_tokens_total{model=gpt-4o,provider=openai,type=output}", "300.0"),
                Map.entry("nullspend_tokens_total{model=gpt-4o,provider=openai,type=cached}", "400.0"),
                Map.entry("nullspend_tokens_total{model=gpt-4o,provider=openai,type=reasoning}", "60.0"),
                Map.entry("nullspend_tokens_total{model=claude-sonnet-4-5,provider=anthropic,type=input}", "2000.0"),
                Map.entry("nullspend_tokens_total{model=claude-sonnet-4-5,provider=anthropic,type=output}", "500.0"),
                Map.entry("nullspend_tokens_total{model=claude-sonnet-4-5,provider=anthropic,type=cached}", "1500.0"),
                Map.entry("nullspend_tokens_total{model=claude-sonnet-4-5,provider=anthropic,type=reasoning}", "0.0"),
                Map.entry("nullspend_denials_total{code=mandate_violation,model=gpt-4.1,provider=openai}", "1.0"),
                Map.entry("nullspend_denials_total{code=budget_exceeded,model=gpt-4o,provider=openai}", "2.0")));
    }

    @Test
    void aPortInUseIsSaidOnceAndLeavesTheMetricsOff() throws Exception {
        exporter = PrometheusExporter.start("127.0.0.1", 0);
        int busy = exporter.port();
        AgentConfig config = AgentConfig.read(new ConfigSource(
                Map.of("nullspend.metrics.prometheus.port", String.valueOf(busy)), Map.of(), Map.of(), Map.of(), "test"));

        Metrics metrics = MetricsStart.start(config, null);

        assertThat(metrics).isSameAs(Metrics.NONE);
        assertThat(log.text().lines().filter(line -> line.contains("WARN")).toList()).containsExactly(
                "[nullspend] WARN metrics: cannot serve Prometheus metrics at http://127.0.0.1:" + busy + "/metrics"
                        + " (java.net.BindException: Address already in use); no Prometheus metrics in this run,"
                        + " the agent runs on");
    }
}
