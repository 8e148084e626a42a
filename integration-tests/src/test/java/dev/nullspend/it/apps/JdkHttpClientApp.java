package dev.nullspend.it.apps;

import dev.nullspend.api.NullSpendException;
import dev.nullspend.it.fake.DeterministicBytes;
import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * A program that makes calls with {@code java.net.http} and reports exactly what it received, so a
 * test can compare runs with and without the agent. The arguments describe one call, or several
 * separated by {@code --}, made in order on one {@code HttpClient}; each call is {@code key=value}s:
 * <ul>
 *   <li>{@code url=…} (required) the full URL;</li>
 *   <li>{@code chat=<model>}: POST an OpenAI chat completion request for that model, with
 *       {@code stream=off|usage|no-usage} (default off): not streamed, streamed with
 *       {@code stream_options.include_usage: true}, streamed without it;</li>
 *   <li>{@code json=<body>}: POST this JSON body instead (any provider's request);</li>
 *   <li>{@code post=<n>}: POST n bytes of {@code DeterministicBytes} instead; with none of these, GET;</li>
 *   <li>{@code handler=} a {@link HandlerKind} arg name (default {@code bytes});</li>
 *   <li>{@code mode=sync|async}: {@code send}, or {@code sendAsync(…).join()} (default sync).</li>
 * </ul>
 * For each call it prints {@code status=<code>}; {@code first-event} as soon as an incremental handler
 * has read the end of the first SSE event; {@code sha256=<hex>} and {@code bytes=<n>} of the body
 * received ({@code lines}: each line plus {@code \n}; {@code string}: its UTF-8 encoding). When an
 * {@code input-stream} or {@code lines} body fails while the program reads it, it first prints
 * {@code bytes-before-failure=<n>}, what it had read. When the call or the body fails, or the agent
 * denies the call ({@link NullSpendException}, caught through the program's own copy of
 * {@code agent-api}), it prints {@code error=<exception class>} instead and goes on. It exits 0 either way: the exit code is for the agent's behaviour, not the server's.
 */
public final class JdkHttpClientApp {

    private final HttpClient client = HttpClient.newHttpClient();

    public static void main(String[] args) throws InterruptedException {
        JdkHttpClientApp app = new JdkHttpClientApp();
        for (Map<String, String> call : CallArgs.parse(args)) {
            boolean async = switch (call.getOrDefault("mode", "sync")) {
                case "sync" -> false;
                case "async" -> true;
                default -> throw new IllegalArgumentException("mode must be sync or async");
            };
            try {
                app.call(request(call), HandlerKind.fromArgName(call.getOrDefault("handler", "bytes")), async);
            } catch (IOException | NullSpendException e) {
                System.out.println("error=" + e.getClass().getName());
            }
        }
    }

    private void call(HttpRequest request, HandlerKind handler, boolean async) throws IOException, InterruptedException {
        switch (handler) {
            case STRING -> {
                HttpResponse<String> response = send(request, BodyHandlers.ofString(), async);
                digestWhole(response.body().getBytes(StandardCharsets.UTF_8));
            }
            case BYTES -> digestWhole(send(request, BodyHandlers.ofByteArray(), async).body());
            case INPUT_STREAM -> {
                ReceivedBytes received = new ReceivedBytes();
                try (InputStream in = send(request, BodyHandlers.ofInputStream(), async).body()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) != -1; ) {
                        received.accept(buf, 0, n);
                    }
                } catch (IOException e) {
                    received.printCountBeforeFailure();
                    throw e;
                }
                received.printSummary();
            }
            case LINES -> {
                ReceivedBytes received = new ReceivedBytes();
                try (Stream<String> lines = send(request, BodyHandlers.ofLines(), async).body()) {
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) {
                        received.accept((it.next() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (UncheckedIOException e) {
                    received.printCountBeforeFailure();
                    throw e.getCause();
                }
                received.printSummary();
            }
            case MAPPING -> {
                BodyHandler<ReceivedBytes> mapping = info -> BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> {
                    ReceivedBytes received = new ReceivedBytes();
                    received.accept(bytes);
                    return received;
                });
                send(request, mapping, async).body().printSummary();
            }
            case SUBSCRIBER -> send(request, info -> new DigestingSubscriber(), async).body().printSummary();
        }
    }

    /** Sends and prints the status; async failures are unwrapped so both modes report the same exception. */
    private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler, boolean async)
            throws IOException, InterruptedException {
        HttpResponse<T> response;
        if (async) {
            try {
                response = client.sendAsync(request, handler).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof NullSpendException denial) {
                    throw denial;
                }
                throw e;
            }
        } else {
            response = client.send(request, handler);
        }
        System.out.println("status=" + response.statusCode());
        return response;
    }

    private static void digestWhole(byte[] body) {
        ReceivedBytes received = new ReceivedBytes();
        received.accept(body);
        received.printSummary();
    }

    private static HttpRequest request(Map<String, String> options) {
        String url = options.get("url");
        if (url == null) {
            throw new IllegalArgumentException("url= is required");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
        if (options.containsKey("chat")) {
            builder.header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-test-not-a-real-key")
                    .POST(BodyPublishers.ofString(CallArgs.chatBody(options.get("chat"), options.getOrDefault("stream", "off"))));
        } else if (options.containsKey("json")) {
            builder.header("Content-Type", "application/json").POST(BodyPublishers.ofString(options.get("json")));
        } else if (options.containsKey("post")) {
            builder.header("Content-Type", "application/octet-stream")
                    .POST(BodyPublishers.ofByteArray(DeterministicBytes.of(Integer.parseInt(options.get("post")))));
        } else {
            builder.GET();
        }
        return builder.build();
    }
}
