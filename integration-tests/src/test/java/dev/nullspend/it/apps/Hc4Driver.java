package dev.nullspend.it.apps;

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

/**
 * Apache HttpClient 4.5 classic, mode {@code sync} only. Read {@code whole} ({@code execute} with a response
 * handler reading {@code EntityUtils.toByteArray}), {@code string} ({@code EntityUtils.toString}),
 * {@code streamed} ({@code getContent()} as it arrives), {@code lines} (it, line by line), {@code write-to}
 * ({@code HttpEntity.writeTo}). Options: {@code body=one-shot} (an {@code InputStreamEntity}, readable
 * once); {@code build=default|no-compression|minimal|legacy} ({@code createDefault()},
 * {@code disableContentCompression()}: the program gets gzip bytes as sent, {@code createMinimal()}, the
 * deprecated {@code DefaultHttpClient}).
 */
public final class Hc4Driver implements ClientDriver {
    private final Map<String, CloseableHttpClient> clients = new HashMap<>();

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws IOException {
        if (!mode.equals("sync")) {
            throw new IllegalArgumentException("hc4 mode: sync");
        }
        CloseableHttpClient client = clients.computeIfAbsent(request.option("build", "default"), Hc4Driver::build);
        if (read.equals("whole")) {
            return client.execute(request(request), response -> {
                body.accept(EntityUtils.toByteArray(response.getEntity()));
                return response.getStatusLine().getStatusCode();
            });
        }
        try (CloseableHttpResponse response = client.execute(request(request))) {
            HttpEntity entity = response.getEntity();
            switch (read) {
                case "string" -> body.accept(EntityUtils.toString(entity, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                case "streamed" -> StreamReading.readChunks(entity.getContent(), body);
                case "lines" -> StreamReading.readLines(entity.getContent(), body);
                case "write-to" -> entity.writeTo(StreamReading.digesting(body));
                default -> throw new IllegalArgumentException("hc4 read: whole, string, streamed, lines or write-to");
            }
            return response.getStatusLine().getStatusCode();
        }
    }

    private static HttpUriRequest request(ClientRequest request) {
        HttpUriRequest out;
        if (request.body() == null) {
            out = new HttpGet(request.url());
        } else {
            HttpPost post = new HttpPost(request.url());
            ContentType type = ContentType.create(request.contentType(), StandardCharsets.UTF_8);
            post.setEntity(request.option("body", "repeatable").equals("one-shot")
                    ? new InputStreamEntity(new ByteArrayInputStream(request.body()), request.body().length, type)
                    : new ByteArrayEntity(request.body(), type));
            out = post;
        }
        request.headers().forEach(out::addHeader);
        return out;
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
