package dev.nullspend.it.apps;

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
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

/**
 * Apache HttpClient 5.x classic, mode {@code sync} only; reads and options as {@link Hc4Driver} (builds
 * {@code default}, {@code no-compression}, {@code minimal}, and {@code no-retries}: without the automatic
 * retries, which repeat a 429 before the program sees it). {@code string} goes through
 * {@code executeOpen} without a target (the default client finds the host in the request), the other
 * stream reads with the request's host as target.
 */
public final class Hc5Driver implements ClientDriver {
    private final Map<String, CloseableHttpClient> clients = new HashMap<>();

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws IOException, ParseException {
        if (!mode.equals("sync")) {
            throw new IllegalArgumentException("hc5 mode: sync");
        }
        CloseableHttpClient client = clients.computeIfAbsent(request.option("build", "default"), Hc5Driver::build);
        if (read.equals("whole")) {
            return client.execute(request(request), response -> {
                body.accept(EntityUtils.toByteArray(response.getEntity()));
                return response.getCode();
            });
        }
        HttpHost target = read.equals("string") ? null : HttpHost.create(URI.create(request.url()));
        try (ClassicHttpResponse response = client.executeOpen(target, request(request), null)) {
            HttpEntity entity = response.getEntity();
            switch (read) {
                case "string" -> body.accept(EntityUtils.toString(entity, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                case "streamed" -> StreamReading.readChunks(entity.getContent(), body);
                case "lines" -> StreamReading.readLines(entity.getContent(), body);
                case "write-to" -> entity.writeTo(StreamReading.digesting(body));
                default -> throw new IllegalArgumentException("hc5 read: whole, string, streamed, lines or write-to");
            }
            return response.getCode();
        }
    }

    private static HttpUriRequestBase request(ClientRequest request) {
        HttpUriRequestBase out;
        if (request.body() == null) {
            out = new HttpGet(request.url());
        } else {
            out = new HttpPost(request.url());
            ContentType type = ContentType.create(request.contentType(), StandardCharsets.UTF_8);
            out.setEntity(request.option("body", "repeatable").equals("one-shot")
                    ? new InputStreamEntity(new ByteArrayInputStream(request.body()), request.body().length, type)
                    : new ByteArrayEntity(request.body(), type));
        }
        request.headers().forEach(out::addHeader);
        return out;
    }

    private static CloseableHttpClient build(String build) {
        return switch (build) {
            case "default" -> HttpClients.createDefault();
            case "no-compression" -> HttpClients.custom().disableContentCompression().build();
            case "minimal" -> HttpClients.createMinimal();
            case "no-retries" -> HttpClients.custom().disableAutomaticRetries().build();
            default -> throw new IllegalArgumentException("hc5 build must be default, no-compression, minimal or no-retries");
        };
    }

    @Override
    public void close() throws IOException {
        for (CloseableHttpClient c : clients.values()) {
            c.close();
        }
    }
}
