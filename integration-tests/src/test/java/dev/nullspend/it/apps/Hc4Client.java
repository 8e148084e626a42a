package dev.nullspend.it.apps;

import static dev.nullspend.it.apps.ApacheHttpClientApp.printStatus;
import static dev.nullspend.it.apps.ApacheHttpClientApp.printWhole;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5 classic, as programs use it. */
final class Hc4Client implements ApacheHttpClientApp.Client {
    private final Map<String, CloseableHttpClient> clients = new HashMap<>();

    @Override
    public void call(ApacheHttpClientApp.Call call) throws IOException {
        CloseableHttpClient c = clients.computeIfAbsent(call.build(), Hc4Client::build);
        HttpUriRequest request = request(call);
        switch (call.handler()) {
            case "handler" -> c.execute(request, response -> {
                printStatus(response.getStatusLine().getStatusCode());
                ReceivedBytes received = new ReceivedBytes();
                received.accept(EntityUtils.toByteArray(response.getEntity()));
                return received;
            }).printSummary();
            case "to-string" -> {
                try (CloseableHttpResponse response = c.execute(request)) {
                    printStatus(response.getStatusLine().getStatusCode());
                    printWhole(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                }
            }
            case "lines" -> {
                try (CloseableHttpResponse response = c.execute(request)) {
                    printStatus(response.getStatusLine().getStatusCode());
                    StreamReading.printLines(response.getEntity().getContent());
                }
            }
            case "write-to" -> {
                try (CloseableHttpResponse response = c.execute(request)) {
                    printStatus(response.getStatusLine().getStatusCode());
                    ReceivedBytes received = new ReceivedBytes();
                    response.getEntity().writeTo(StreamReading.digesting(received));
                    received.printSummary();
                }
            }
            default -> throw new IllegalArgumentException("hc4 handler must be handler, to-string, lines or write-to");
        }
    }

    private static HttpUriRequest request(ApacheHttpClientApp.Call call) {
        if (call.body() == null) {
            return new HttpGet(call.url());
        }
        HttpPost post = new HttpPost(call.url());
        post.addHeader("Authorization", "Bearer sk-test-not-a-real-key");
        ContentType type = ContentType.create(call.contentType(), StandardCharsets.UTF_8);
        HttpEntity entity = call.oneShotBody()
                ? new InputStreamEntity(new ByteArrayInputStream(call.body()), call.body().length, type)
                : new ByteArrayEntity(call.body(), type);
        post.setEntity(entity);
        return post;
    }

    @SuppressWarnings("deprecation")
    private static CloseableHttpClient build(String build) {
        return switch (build) {
            case "default" -> HttpClients.createDefault();
            case "no-compression" -> HttpClients.custom().disableContentCompression().build();
            case "minimal" -> HttpClients.createMinimal();
            case "legacy" -> new org.apache.http.impl.client.DefaultHttpClient();
            default -> throw new IllegalArgumentException("hc4 build must be default, no-compression, minimal or legacy");
        };
    }

    @Override
    public void close() throws IOException {
        for (CloseableHttpClient c : clients.values()) {
            c.close();
        }
    }
}
