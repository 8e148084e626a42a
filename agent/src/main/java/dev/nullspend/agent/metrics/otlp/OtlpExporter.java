package dev.nullspend.agent.metrics.otlp;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentVersion;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.metrics.EventFigures;
import dev.nullspend.agent.metrics.MetricsExporter;
import dev.nullspend.agent.metrics.MetricsThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes the metrics over OTLP/HTTP (protobuf) with the OpenTelemetry SDK and its JDK HTTP sender:
 * the Prometheus counters as OpenTelemetry counters, and the tokens also as the GenAI semantic
 * conventions' {@code gen_ai.client.token.usage} histogram (docs/metrics.md#otlp). Cumulative
 * temporality, one push every {@code nullspend.metrics.otlp.interval-ms} and a last one at exit.
 * Loaded by the metrics class loader only.
 */
public final class OtlpExporter implements MetricsExporter {
    static final String SCOPE = "dev.nullspend.agent";
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("model");
    static final AttributeKey<String> TYPE = AttributeKey.stringKey("type");
    static final AttributeKey<String> CODE = AttributeKey.stringKey("code");
    static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    /** The conventions' advice for {@code gen_ai.client.token.usage}: powers of 4 from 1 to 4^13. */
    static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L, 4194304L, 16777216L, 67108864L);
    /** The last push at exit waits at most this long, so a collector that is down cannot hold the JVM's exit. */
    static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);

    private final SdkMeterProvider provider;
    private final String url;
    private final PushOutcomes outcomes;
    private final LongCounter cost;
    private final LongCounter calls;
    private final LongCounter tokens;
    private final LongCounter denials;
    private final LongHistogram tokenUsage;

    OtlpExporter(SdkMeterProvider provider, String url, PushOutcomes outcomes) {
        this.provider = provider;
        this.url = url;
        this.outcomes = outcomes;
        Meter meter = provider.meterBuilder(SCOPE).setInstrumentationVersion(AgentVersion.get()).build();
        cost = meter.counterBuilder("nullspend.cost.microdollars").setUnit("{microdollar}")
                .setDescription("Cost of the recorded events in microdollars (1 USD = 1,000,000)").build();
        calls = meter.counterBuilder("nullspend.llm.calls").setUnit("{call}").setDescription("LLM calls costed").build();
        tokens = meter.counterBuilder("nullspend.tokens").setUnit("{token}")
                .setDescription("Tokens of the LLM calls by type (cached is part of input, reasoning part of output)")
                .build();
        denials = meter.counterBuilder("nullspend.denials").setUnit("{denial}")
                .setDescription("Calls denied before they were sent").build();
        tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used.")
                .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    }

    /** Starts pushing to {@code nullspend.metrics.otlp.endpoint}; a collector that is down is said at the first push. */
    public static OtlpExporter start(AgentConfig config) {
        String url = config.metricsOtlpEndpoint;
        PushOutcomes outcomes = new PushOutcomes(url, config.metricsOtlpIntervalMs);
        OtlpHttpMetricExporter otlp = OtlpHttpMetricExporter.builder()
                .setEndpoint(url)
                .setTimeout(PUSH_TIMEOUT)
                .setConnectTimeout(PUSH_TIMEOUT)
                .setRetryPolicy(null) // each push carries the cumulative totals: the next one makes up for a lost one
                .setMeterProvider(MeterProvider.noop()) // no telemetry about the exporter itself
                .setServiceClassLoader(OtlpExporter.class.getClassLoader()) // finds the relocated JDK sender
                .build();
        ScheduledExecutorService pushes = Executors.newSingleThreadScheduledExecutor(
                MetricsThreads.named("nullspend-metrics-otlp"));
        MetricReader reader = PeriodicMetricReader.builder(new ReportingMetricExporter(otlp, outcomes))
                .setInterval(Duration.ofMillis(config.metricsOtlpIntervalMs))
                .setExecutor(pushes)
                .build();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(resource())
                .registerMetricReader(reader)
                .build();
        AgentLog.info("metrics: OTLP pushed to " + url + " every " + config.metricsOtlpIntervalMs + " ms and at exit");
        return new OtlpExporter(provider, url, outcomes);
    }

    /**
     * The SDK's default resource ({@code telemetry.sdk.*}, {@code service.name=unknown_service:java}),
     * with the program's service name when it sets OpenTelemetry's own {@code otel.service.name} or
     * {@code OTEL_SERVICE_NAME}, so the agent's metrics sit beside the program's.
     */
    static Resource resource() {
        String name = System.getProperty("otel.service.name");
        if (name == null || name.isBlank()) {
            name = System.getenv("OTEL_SERVICE_NAME");
        }
        Resource base = Resource.getDefault();
        return name == null || name.isBlank() ? base
                : base.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), name.trim())));
    }

    @Override
    public void record(EventFigures f) {
        cost.add(f.costMicros(), Attributes.of(PROVIDER, f.provider(), MODEL, f.model()));
        if (!f.llmCall()) {
            return;
        }
        calls.add(1, Attributes.of(PROVIDER, f.provider(), MODEL, f.model()));
        tokens.add(f.inputTokens(), Attributes.of(PROVIDER, f.provider(), MODEL, f.model(), TYPE, "input"));
        tokens.add(f.outputTokens(), Attributes.of(PROVIDER, f.provider(), MODEL, f.model(), TYPE, "output"));
        tokens.add(f.cachedTokens(), Attributes.of(PROVIDER, f.provider(), MODEL, f.model(), TYPE, "cached"));
        tokens.add(f.reasoningTokens(), Attributes.of(PROVIDER, f.provider(), MODEL, f.model(), TYPE, "reasoning"));
        tokenUsage.record(f.inputTokens(), genAi(f, "input"));
        tokenUsage.record(f.outputTokens(), genAi(f, "output"));
    }

    /** The conventions' attributes of one token type of a call. */
    static Attributes genAi(EventFigures f, String tokenType) {
        AttributesBuilder b = Attributes.builder()
                .put(GEN_AI_PROVIDER, GenAiNames.provider(f.provider()))
                .put(GEN_AI_MODEL, f.model())
                .put(GEN_AI_TOKEN_TYPE, tokenType);
        String operation = GenAiNames.operation(f.endpoint());
        if (operation != null) {
            b.put(GEN_AI_OPERATION, operation);
        }
        return b.build();
    }

    @Override
    public void denial(String provider, String model, String code) {
        denials.add(1, Attributes.of(PROVIDER, provider, MODEL, model, CODE, code));
    }

    /** The last push (at most {@link #PUSH_TIMEOUT} and a second), then the pushes stop. */
    @Override
    public void close() {
        provider.shutdown().join(PUSH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        outcomes.summarize();
    }

    @Override
    public String toString() {
        return "the OTLP push to " + url;
    }
}
