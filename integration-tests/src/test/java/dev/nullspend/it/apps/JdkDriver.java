package dev.nullspend.it.apps;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java.net.http}: mode {@code sync} ({@code send}) or {@code async} ({@code sendAsync}, the
 * failure being what the future completed with); read {@code whole} ({@code ofByteArray}), {@code streamed}
 * ({@code ofInputStream}), {@code string}, {@code lines} (each line plus {@code \n}), {@code mapping}
 * ({@code BodySubscribers.mapping}) or {@code subscriber} (the program's own {@code BodySubscriber}).
 */
public final class JdkDriver implements ClientDriver {

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        HttpRequest httpRequest = request(request);
        switch (read) {
            case "whole" -> {
                HttpResponse<byte[]> response = send(httpRequest, BodyHandlers.ofByteArray(), mode);
                body.accept(response.body());
                return response.statusCode();
            }
            case "string" -> {
                HttpResponse<String> response = send(httpRequest, BodyHandlers.ofString(), mode);
                body.accept(response.body().getBytes(StandardCharsets.UTF_8));
                return response.statusCode();
            }
            case "streamed" -> {
                HttpResponse<InputStream> response = send(httpRequest, BodyHandlers.ofInputStream(), mode);
                try (InputStream in = response.body()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) != -1; ) {
                        body.accept(buf, 0, n);
                    }
                }
                return response.statusCode();
            }
            case "lines" -> {
                HttpResponse<Stream<String>> response = send(httpRequest, BodyHandlers.ofLines(), mode);
                try (Stream<String> lines = response.body()) {
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) {
                        body.accept((it.next() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                return response.statusCode();
            }
            case "mapping" -> {
                BodyHandler<byte[]> mapping = info -> BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> bytes);
                HttpResponse<byte[]> response = send(httpRequest, mapping, mode);
                body.accept(response.body());
                return response.statusCode();
            }
            case "subscriber" -> {
                return send(httpRequest, info -> new DigestingSubscriber(body), mode).statusCode();
            }
            default -> throw new IllegalArgumentException("jdk read: whole, streamed, string, lines, mapping or subscriber");
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler, String mode) throws Exception {
        return switch (mode) {
            case "sync" -> client.send(request, handler);
            case "async" -> {
                try {
                    yield client.sendAsync(request, handler).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            default -> throw new IllegalArgumentException("jdk mode: sync or async");
        };
    }

    private static HttpRequest request(ClientRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach(builder::header);
        if (request.body() == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", request.contentType()).POST(BodyPublishers.ofByteArray(request.body())).build();
    }

    @Override
    public void close() {
    }
}
