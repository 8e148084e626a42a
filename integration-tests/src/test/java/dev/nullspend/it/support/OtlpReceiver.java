package dev.nullspend.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 (a free port): decodes each {@code POST /v1/metrics}
 * body as the collector would ({@code ExportMetricsServiceRequest}, protobuf) and keeps the requests
 * in order of arrival.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<ExportMetricsServiceRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver();
    }

    /** {@code http://127.0.0.1:PORT}: the base URL, as a user names a collector. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ExportMetricsServiceRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests that were not {@code POST /v1/metrics} with a protobuf body, described. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/metrics".equals(exchange.getRequestURI().getPath())
                    || !"application/x-protobuf".equals(type)) {
                refused.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + type);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            requests.add(ExportMetricsServiceRequest.parseFrom(body));
            byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The metrics of one request's scope {@code scope}, by name. */
    public static Map<String, Metric> metrics(ExportMetricsServiceRequest request, String scope) {
        Map<String, Metric> out = new TreeMap<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                if (sm.getScope().getName().equals(scope)) {
                    sm.getMetricsList().forEach(m -> out.put(m.getName(), m));
                }
            }
        }
        return out;
    }

    /** A counter's points: {@code key=value,…} (attributes sorted) → its integer value. */
    public static Map<String, Long> sums(Metric metric) {
        Map<String, Long> out = new TreeMap<>();
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
            out.put(key(p.getAttributesList()), p.getAsInt());
        }
        return out;
    }

    /** A histogram's points: {@code key=value,…} → {@code count=N sum=S}. */
    public static Map<String, String> histograms(Metric metric) {
        Map<String, String> out = new TreeMap<>();
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
            out.put(key(p.getAttributesList()), "count=" + p.getCount() + " sum=" + (long) p.getSum());
        }
        return out;
    }

    private static String key(List<KeyValue> attributes) {
        return attributes.stream().map(kv -> kv.getKey() + "=" + kv.getValue().getStringValue()).sorted()
                .collect(Collectors.joining(","));
    }
}
