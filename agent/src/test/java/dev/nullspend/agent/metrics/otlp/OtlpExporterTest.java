package dev.nullspend.agent.metrics.otlp;

import dev.nullspend.agent.metrics.KnownEvents;
import dev.nullspend.agent.metrics.MetricsRecorder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenTelemetry instruments, read back in memory: the same figures as the Prometheus test, plus the GenAI histogram. */
class OtlpExporterTest {

    @Test
    void theInstrumentsHoldTheExactFiguresOfKnownEvents() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
        OtlpExporter exporter = new OtlpExporter(provider, "in memory", new PushOutcomes("in memory", 1000));

        KnownEvents.recordInto(new MetricsRecorder(List.of(exporter)));
        Map<String, MetricData> metrics = reader.collectAllMetrics().stream()
                .collect(Collectors.toMap(MetricData::getName, m -> m));

        assertThat(metrics).containsOnlyKeys("nullspend.cost.microdollars", "nullspend.llm.calls", "nullspend.tokens",
                "nullspend.denials", "gen_ai.client.token.usage");
        assertThat(sums(metrics.get("nullspend.cost.microdollars"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model=gpt-4o,provider=openai", 6_250L,
                "model=claude-sonnet-4-5,provider=anthropic", 12_345L,
                "model=custom,provider=tool", 250L));
        assertThat(sums(metrics.get("nullspend.llm.calls"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model=gpt-4o,provider=openai", 2L,
                "model=claude-sonnet-4-5,provider=anthropic", 1L));
        assertThat(sums(metrics.get("nullspend.tokens"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model=gpt-4o,provider=openai,type=input", 1_300L,
                "model=gpt-4o,provider=openai,type=output", 300L,
                "model=gpt-4o,provider=openai,type=cached", 400L,
                "model=gpt-4o,provider=openai,type=reasoning", 60L,
                "model=claude-sonnet-4-5,provider=anthropic,type=input", 2_000L,
                "model=claude-sonnet-4-5,provider=anthropic,type=output", 500L,
                "model=claude-sonnet-4-5,provider=anthropic,type=cached", 1_500L,
                "model=claude-sonnet-4-5,provider=anthropic,type=reasoning", 0L));
        assertThat(sums(metrics.get("nullspend.denials"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "code=mandate_violation,model=gpt-4.1,provider=openai", 1L,
                "code=budget_exceeded,model=gpt-4o,provider=openai", 2L));
        assertThat(metrics.get("nullspend.tokens").getUnit()).isEqualTo("{token}");
        assertThat(metrics.get("nullspend.tokens").getLongSumData().isMonotonic()).isTrue();

        MetricData usage = metrics.get("gen_ai.client.token.usage");
        assertThat(usage.getUnit()).isEqualTo("{token}");
        Map<String, String> histograms = new TreeMap<>();
        for (HistogramPointData p : usage.getHistogramData().getPoints()) {
            histograms.put(key(p.getAttributes()), "count=" + p.getCount() + " sum=" + (long) p.getSum());
            assertThat(p.getBoundaries()).hasSize(14).startsWith(1.0, 4.0, 16.0).endsWith(67_108_864.0);
        }
        assertThat(histograms).containsExactlyInAnyOrderEntriesOf(Map.of(
                "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=gpt-4o,gen_ai.token.type=input",
                "count=2 sum=1300",
                "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=gpt-4o,gen_ai.token.type=output",
                "count=2 sum=300",
                "gen_ai.operation.name=chat,gen_ai.provider.name=anthropic,gen_ai.request.model=claude-sonnet-4-5,"
                        + "gen_ai.token.type=input", "count=1 sum=2000",
                "gen_ai.operation.name=chat,gen_ai.provider.name=anthropic,gen_ai.request.model=claude-sonnet-4-5,"
                        + "gen_ai.token.type=output", "count=1 sum=500"));
        provider.close();
    }

    @ParameterizedTest
    @CsvSource({"bedrock, aws.bedrock", "google, gcp.gen_ai", "mistral_ai, mistral_ai"})
    void providersTakeTheConventionsNames(String provider, String name) {
        assertThat(GenAiNames.provider(provider)).isEqualTo(name);
    }

    /** No endpoint: no operation (an empty cell is null). */
    @ParameterizedTest
    @CsvSource({"embeddings, embeddings", "completions, text_completion", "generateContent, generate_content",
            "converse-stream, chat", "invoke, invoke", ","})
    void endpointsTakeTheConventionsOperationNames(String endpoint, String operation) {
        assertThat(GenAiNames.operation(endpoint)).isEqualTo(operation);
    }

    private static Map<String, Long> sums(MetricData metric) {
        Map<String, Long> out = new TreeMap<>();
        for (LongPointData p : metric.getLongSumData().getPoints()) {
            out.put(key(p.getAttributes()), p.getValue());
        }
        return out;
    }

    /** {@code key=value,…} sorted by key. */
    private static String key(Attributes attributes) {
        Map<String, String> sorted = new TreeMap<>();
        attributes.forEach((k, v) -> sorted.put(k.getKey(), String.valueOf(v)));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
