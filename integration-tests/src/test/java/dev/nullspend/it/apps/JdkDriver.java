package dev.nullspend.it.apps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java.net.http}: mode {@code sync} ({@code send}) or {@code async} ({@code sendAsync}, the
 * failure being what the future completed with); read {@code whole} ({@code ofByteArray}), {@code streamed}
 * ({@code ofInputStream}), {@code string}, {@code lines} (each line plus {@code \n}), {@code mapping}
 * ({@code BodySubscribers.mapping}) or {@code subscriber} (the program's own {@code BodySubscriber}); the
 * request body as {@code body=} says (see {@link #publisher}).
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

    private static HttpRequest request(ClientRequest request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach(builder::header);
        if (request.body() == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", request.contentType()).POST(publisher(request.body(),
                request.option("body", "bytes"))).build();
    }

    /**
     * The body as the program hands it over: {@code bytes} ({@code ofByteArray}); {@code publisher} and
     * {@code publisher-sized} ({@code fromPublisher} without and with its length, over a publisher that
     * another thread feeds in 1,000-byte parts once the client subscribed, as Spring's do);
     * {@code stalled} ({@code fromPublisher} of the first half, never completed); {@code input-stream}
     * ({@code ofInputStream}, a fresh stream per subscription); {@code file}
     * ({@code ofFile}, a temporary file); {@code concat} (two {@code ofByteArray} parts, JDK 16+).
     */
    private static BodyPublisher publisher(byte[] body, String kind) throws IOException {
        return switch (kind) {
            case "bytes" -> BodyPublishers.ofByteArray(body);
            case "publisher" -> BodyPublishers.fromPublisher(fedLater(body));
            case "publisher-sized" -> BodyPublishers.fromPublisher(fedLater(body), body.length);
            case "stalled" -> BodyPublishers.fromPublisher(fedLater(Arrays.copyOf(body, body.length / 2), false));
            case "input-stream" -> BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
            case "file" -> {
                Path file = Files.createTempFile("jdk-driver-body", ".json");
                file.toFile().deleteOnExit();
                yield BodyPublishers.ofFile(Files.write(file, body));
            }
            case "concat" -> BodyPublishers.concat(BodyPublishers.ofByteArray(Arrays.copyOf(body, body.length / 2)),
                    BodyPublishers.ofByteArray(Arrays.copyOfRange(body, body.length / 2, body.length)));
            default -> throw new IllegalArgumentException("jdk body: bytes, publisher, publisher-sized, stalled, input-stream, file"
                    + " or concat");
        };
    }

    /** A publisher of {@code body} that a thread of its own feeds once someone subscribed, then closes. */
    private static Flow.Publisher<ByteBuffer> fedLater(byte[] body) {
        return fedLater(body, true);
    }

    /** As {@link #fedLater(byte[])}; {@code close} false: never completed. */
    private static Flow.Publisher<ByteBuffer> fedLater(byte[] body, boolean close) {
        SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>();
        Thread feeder = new Thread(() -> {
            while (publisher.getNumberOfSubscribers() == 0 && !publisher.isClosed()) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < body.length; i += 1000) {
                publisher.submit(ByteBuffer.wrap(Arrays.copyOfRange(body, i, Math.min(body.length, i + 1000))));
            }
            if (close) {
                publisher.close();
            }
        }, "body-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return publisher;
    }

    @Override
    public void close() {
    }
}
