package dev.nullspend.agent.api.jdk;

import dev.nullspend.agent.api.HttpTransport;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link HttpTransport} on the JDK's {@code java.net.http} client. Defined in the platform class
 * loader by the agent (see {@code bootstrap.JdkTransportFactory}); it must not use any agent class
 * but {@link HttpTransport} and {@link BoundedBodySubscriber}.
 *
 * <p>Its requests go through the instrumented {@code HttpClientImpl} like any program's, and the
 * core leaves them alone because they go to {@code nullspend.base-url}'s origin.
 */
public final class JdkHttpTransport implements HttpTransport {
    /** The API answers small JSON objects; anything larger is refused. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final HttpClient client;

    public JdkHttpTransport(Duration connectTimeout) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "nullspend-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            // The agent's threads must not pin whatever class loader happened to be current.
            t.setContextClassLoader(null);
            return t;
        });
        client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // One request at a time: HTTP/2 multiplexing gains nothing, and plain-http URLs skip the h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public CompletableFuture<Response> send(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(request.timeout());
        request.headers().forEach(builder::header);
        builder.method(request.method(), request.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(builder.build(), info -> new BoundedBodySubscriber(MAX_RESPONSE_BYTES));
        CompletableFuture<Response> response = exchange.thenApply(
                r -> new Response(r.statusCode(), firstValues(r.headers()), r.body()));
        // Cancelling the caller's future must abort the exchange itself, not only this stage.
        response.whenComplete((r, t) -> {
            if (response.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return response;
    }

    private static Map<String, String> firstValues(HttpHeaders headers) {
        Map<String, String> first = new HashMap<>();
        for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
            if (!e.getValue().isEmpty()) {
                first.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
            }
        }
        return Map.copyOf(first);
    }
}
