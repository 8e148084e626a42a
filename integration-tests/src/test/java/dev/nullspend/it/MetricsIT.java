package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.agent.testing.PrometheusScrape;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.JdkDriver;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.AwaitedFiles;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.OtlpReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics (docs/metrics.md) of real calls through the JDK client to the fake provider, in one
 * program that serves both exporters: a Prometheus scrape while it runs and the pushes an OTLP/HTTP
 * receiver decodes show the exact cost, calls, tokens by type and denials by code; the last push, at
 * exit, also has the call made after the scrape and the GenAI {@code gen_ai.client.token.usage}
 * histogram. Without the keys, no class of the metrics libraries loads at all.
 */
class MetricsIT extends FakeProviderTest {

    private static final FakeUsage GPT_4O_A = new FakeUsage(1_000, 400, 200, 0);
    private static final FakeUsage GPT_4O_B = new FakeUsage(300, 0, 100, 0);
    private static final FakeUsage O3 = new FakeUsage(500, 0, 300, 120);
    private static final FakeUsage MINI = FakeUsage.DEFAULT;
    private static final String SCOPE = "dev.nullspend.agent";
    /** Classes of the metrics libraries and exporters, as {@code -Xlog:class+load} names them. */
    private static final Pattern METRICS_CLASS = Pattern.compile(
            "dev\\.nullspend\\.agent\\.(shaded\\.io\\.(prometheus|opentelemetry)|metrics\\.(prometheus|otlp|logging)"
                    + "|metrics\\.MetricsRecorder|metrics\\.MetricsClassLoader)\\.?");

    MetricsIT(Fakes fakes) {
        super(fakes);
    }

    @Test
    void aScrapeAndAnOtlpReceiverSeeTheExactFiguresOfRealCalls() throws Exception {
        int port = freePort();
        Path go = workDir.resolve("go");
        Path classes = workDir.resolve("classes.log");
        AtomicReference<Map<String, String>> scraped = new AtomicReference<>();
        AtomicReference<ExportMetricsServiceRequest> periodic = new AtomicReference<>();
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                    .jvmOption("-Xlog:class+load=info:file=" + classes)
                    .systemProperty("nullspend.metrics.prometheus.port", String.valueOf(port))
                    .systemProperty("nullspend.metrics.otlp.endpoint", receiver.baseUrl())
                    .systemProperty("nullspend.metrics.otlp.interval-ms", "1000")
                    .systemProperty("nullspend.allowed-models", "gpt-4o,gpt-4o-mini,o3")
                    .calls(List.of(chat("gpt-4o", GPT_4O_A, "off"), chat("gpt-4o", GPT_4O_B, "usage"),
                            chat("o3", O3, "off"), chat("gpt-4.1", MINI, "off"), List.of("await=" + go),
                            chat("gpt-4o-mini", MINI, "off")))
                    .onStdoutLine(line -> {
                        if (line.startsWith("awaiting=")) {
                            try {
                                periodic.set(awaitPush(receiver, expectedCounters(false)));
                                scraped.set(PrometheusScrape.samples(port));
                            } finally {
                                AwaitedFiles.create(go);
                            }
                        }
                    })
                    .timeout(Duration.ofSeconds(90))
                    .run();

            assertThat(run.exitCode()).as(run.describe()).isZero();
            List<JsonNode> results = run.results();
            assertThat(results).hasSize(5);
            assertThat(results.get(3).path("denial").path("code").asText()).as(run.describe()).isEqualTo("mandate_violation");
            assertThat(results.stream().filter(r -> r.path("status").asInt() == 200).count()).isEqualTo(4);
            assertThat(run.agentLines()).contains(
                    "[nullspend] metrics: Prometheus text served at http://127.0.0.1:" + port + "/metrics",
                    "[nullspend] metrics: OTLP pushed to " + receiver.baseUrl() + "/v1/metrics every 1000 ms and at exit");
            // (A push may time out on a loaded machine: said once and counted, the next push carries the totals.)
            assertThat(run.agentLines()).noneMatch(line -> line.contains("metrics: cannot") || line.contains("ERROR"));

            // While the program ran: the scrape and an interval push, both after the first four calls.
            assertThat(scraped.get()).as(run.describe()).containsExactlyInAnyOrderEntriesOf(prometheus(expectedCounters(false)));
            assertThat(counters(periodic.get())).isEqualTo(expectedCounters(false));

            // The last push, at exit: the call after the scrape too, and the token usage histogram.
            List<ExportMetricsServiceRequest> pushes = receiver.requests();
            assertThat(receiver.refused()).isEmpty();
            ExportMetricsServiceRequest last = pushes.get(pushes.size() - 1);
            assertThat(counters(last)).isEqualTo(expectedCounters(true));
            Map<String, Metric> metrics = OtlpReceiver.metrics(last, SCOPE);
            assertThat(metrics.get("gen_ai.client.token.usage").getUnit()).isEqualTo("{token}");
            assertThat(OtlpReceiver.histograms(metrics.get("gen_ai.client.token.usage")))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            genAi("gpt-4o", "input"), "count=2 sum=1300",
                            genAi("gpt-4o", "output"), "count=2 sum=300",
                            genAi("o3", "input"), "count=1 sum=500",
                            genAi("o3", "output"), "count=1 sum=300",
                            genAi("gpt-4o-mini", "input"), "count=1 sum=22",
                            genAi("gpt-4o-mini", "output"), "count=1 sum=3"));
        }
        // The libraries run in the metrics class loader (the jar as a URL): the server and the sender link against
        // jdk.httpserver and java.net.http, which the bootstrap class path cannot see. (HotSpot's lookup of an
        // invokedynamic's method type tries the bootstrap loader first, for its cache, and so also loads unused
        // bootstrap copies of a few signature types; the classes that run are those of the metrics loader.)
        List<String> loaded = Files.readAllLines(classes).stream().filter(l -> METRICS_CLASS.matcher(l).find()).toList();
        assertThat(loaded)
                .anyMatch(l -> l.contains("shaded.io.opentelemetry.sdk.metrics.SdkMeterProvider source: file:"))
                .anyMatch(l -> l.contains("shaded.io.prometheus.metrics.exporter.httpserver.HTTPServer source: file:"))
                .anyMatch(l -> l.contains("shaded.io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender source: file:"))
                .anyMatch(l -> l.contains("metrics.otlp.OtlpExporter source: file:"))
                .anyMatch(l -> l.contains("metrics.prometheus.PrometheusExporter source: file:"));
    }

    @Test
    void withoutTheKeysNoClassOfTheMetricsLibrariesLoads() throws Exception {
        Path classes = workDir.resolve("classes.log");

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .jvmOption("-Xlog:class+load=info:file=" + classes)
                .calls(List.of(chat("gpt-4o", GPT_4O_A, "off")))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.ledger()).hasSize(1);
        assertThat(run.ledger().get(0).path("costMicrodollars").asLong())
                .isEqualTo(ExpectedCost.openAiChat("gpt-4o", GPT_4O_A).total());
        List<String> lines = Files.readAllLines(classes);
        assertThat(lines).as("the core ran (the no-op metrics field was read)")
                .anyMatch(l -> l.contains("dev.nullspend.agent.metrics.Metrics "))
                .anyMatch(l -> l.contains("dev.nullspend.agent.core.LlmCall "));
        assertThat(lines).noneMatch(l -> METRICS_CLASS.matcher(l).find());
    }

    private List<String> chat(String model, FakeUsage usage, String stream) {
        return List.of("driver=" + JdkDriver.class.getSimpleName(), "url=" + server.chatCompletionsUrl(Scenario.OK, usage),
                "chat=" + model, "stream=" + stream);
    }

    /**
     * The counters after the first four calls (two gpt-4o, one o3, one denied gpt-4.1), or at exit with the
     * gpt-4o-mini call too: {@code metric|label=value,…} (labels sorted) → value, the OTLP names.
     */
    private static Map<String, Long> expectedCounters(boolean atExit) {
        Map<String, Long> c = new TreeMap<>();
        long gpt4o = ExpectedCost.openAiChat("gpt-4o", GPT_4O_A).total() + ExpectedCost.openAiChat("gpt-4o", GPT_4O_B).total();
        calls(c, "gpt-4o", 2, gpt4o, new FakeUsage(1_300, 400, 300, 0));
        calls(c, "o3", 1, ExpectedCost.openAiChat("o3", O3).total(), O3);
        if (atExit) {
            calls(c, "gpt-4o-mini", 1, ExpectedCost.openAiChat("gpt-4o-mini", MINI).total(), MINI);
        }
        c.put("nullspend.denials|code=mandate_violation,model=gpt-4.1,provider=openai", 1L);
        return c;
    }

    private static void calls(Map<String, Long> c, String model, long calls, long cost, FakeUsage tokens) {
        String labels = "model=" + model + ",provider=openai";
        c.put("nullspend.cost.microdollars|" + labels, cost);
        c.put("nullspend.llm.calls|" + labels, calls);
        c.put("nullspend.tokens|" + labels + ",type=input", tokens.promptTokens());
        c.put("nullspend.tokens|" + labels + ",type=output", tokens.completionTokens());
        c.put("nullspend.tokens|" + labels + ",type=cached", tokens.cachedTokens());
        c.put("nullspend.tokens|" + labels + ",type=reasoning", tokens.reasoningTokens());
    }

    /** The same counters as Prometheus names them: {@code name_total{labels}} → value as the text format prints it. */
    private static Map<String, String> prometheus(Map<String, Long> counters) {
        Map<String, String> out = new LinkedHashMap<>();
        counters.forEach((key, value) -> {
            String name = key.substring(0, key.indexOf('|')).replace('.', '_') + "_total";
            out.put(name + "{" + key.substring(key.indexOf('|') + 1) + "}", value + ".0");
        });
        return out;
    }

    /** The four counters of a push, keyed as {@link #expectedCounters}. */
    private static Map<String, Long> counters(ExportMetricsServiceRequest request) {
        Map<String, Long> out = new TreeMap<>();
        OtlpReceiver.metrics(request, SCOPE).forEach((name, metric) -> {
            if (name.startsWith("nullspend.")) {
                assertThat(metric.getSum().getIsMonotonic()).as(name).isTrue();
                OtlpReceiver.sums(metric).forEach((labels, value) -> out.put(name + "|" + labels, value));
            }
        });
        return out;
    }

    private static String genAi(String model, String type) {
        return "gen_ai.operation.name=chat,gen_ai.provider.name=openai,gen_ai.request.model=" + model
                + ",gen_ai.token.type=" + type;
    }

    /** Waits (at most 30 s) for a push whose counters are {@code expected}; the last push when none comes. */
    private static ExportMetricsServiceRequest awaitPush(OtlpReceiver receiver, Map<String, Long> expected) {
        AtomicReference<ExportMetricsServiceRequest> last = new AtomicReference<>();
        AwaitedFiles.until(() -> {
            List<ExportMetricsServiceRequest> pushes = receiver.requests();
            if (!pushes.isEmpty()) {
                last.set(pushes.get(pushes.size() - 1));
            }
            return last.get() != null && counters(last.get()).equals(expected);
        });
        return last.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
