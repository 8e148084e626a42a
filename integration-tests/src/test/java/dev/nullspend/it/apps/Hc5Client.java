package dev.nullspend.it.apps;

import static dev.nullspend.it.apps.ApacheHttpClientApp.printStatus;
import static dev.nullspend.it.apps.ApacheHttpClientApp.printWhole;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

/** Apache HttpClient 5.x classic, as programs use it. */
final class Hc5Client implements ApacheHttpClientApp.Client {
    private final Map<String, CloseableHttpClient> clients = new HashMap<>();

    @Override
    public void call(ApacheHttpClientApp.Call call) throws IOException, ParseException {
        CloseableHttpClient c = clients.computeIfAbsent(call.build(), Hc5Client::build);
        HttpUriRequestBase request = request(call);
        switch (call.handler()) {
            case "handler" -> c.execute(request, response -> {
                printStatus(response.getCode());
                ReceivedBytes received = new ReceivedBytes();
                received.accept(EntityUtils.toByteArray(response.getEntity()));
                return received;
            }).printSummary();
            case "to-string" -> {
                // No target: the default client finds the host in the request (the minimal one refuses).
                try (ClassicHttpResponse response = c.executeOpen(null, request, null)) {
                    printStatus(response.getCode());
                    printWhole(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                }
            }
            case "lines" -> {
                try (ClassicHttpResponse response = c.executeOpen(target(call), request, null)) {
                    printStatus(response.getCode());
                    StreamReading.printLines(response.getEntity().getContent());
                }
            }
            case "write-to" -> {
                try (ClassicHttpResponse response = c.executeOpen(target(call), request, null)) {
                    printStatus(response.getCode());
                    ReceivedBytes received = new ReceivedBytes();
                    response.getEntity().writeTo(StreamReading.digesting(received));
                    received.printSummary();
                }
            }
            default -> throw new IllegalArgumentException("hc5 handler must be handler, to-string, lines or write-to");
        }
    }

    private static HttpHost target(ApacheHttpClientApp.Call call) {
        return HttpHost.create(URI.create(call.url()));
    }

    private static HttpUriRequestBase request(ApacheHttpClientApp.Call call) {
        if (call.body() == null) {
            return new HttpGet(call.url());
        }
        HttpPost post = new HttpPost(call.url());
        post.addHeader("Authorization", "Bearer sk-test-not-a-real-key");
        ContentType type = ContentType.create(call.contentType(), StandardCharsets.UTF_8);
        post.setEntity(call.oneShotBody()
                ? new InputStreamEntity(new ByteArrayInputStream(call.body()), call.body().length, type)
                : new ByteArrayEntity(call.body(), type));
        return post;
    }

    private static CloseableHttpClient build(String build) {
        return switch (build) {
            case "default" -> HttpClients.createDefault();
            case "no-compression" -> HttpClients.custom().disableContentCompression().build();
            case "minimal" -> HttpClients.createMinimal();
            default -> throw new IllegalArgumentException("hc5 build must be default, no-compression or minimal");
        };
    }

    @Override
    public void close() throws IOException {
        for (CloseableHttpClient c : clients.values()) {
            c.close();
        }
    }
}
