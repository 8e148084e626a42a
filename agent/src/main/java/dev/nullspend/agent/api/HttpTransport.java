package dev.nullspend.agent.api;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP exchange for {@link NullSpendApiClient}, in JDK types only. The client (retries,
 * headers, deadlines) lives on the bootstrap class path, which cannot see {@code java.net.http};
 * the real implementation, {@code jdk.JdkHttpTransport}, is defined beside {@code java.net.http}
 * in the platform class loader. Tests substitute scripted transports.
 */
public interface HttpTransport {

    /**
     * Starts one exchange. The future completes with the response (any status) or fails with an
     * {@link java.io.IOException}; cancelling it aborts the exchange.
     */
    CompletableFuture<Response> send(Request request);

    /**
     * @param body    null for a request without a body (GET)
     * @param timeout for the response headers; the caller also bounds the whole exchange
     */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
    }

    /**
     * @param headers response headers by lower-case name, first value of each
     * @param body    bounded by the transport
     */
    record Response(int status, Map<String, String> headers, byte[] body) {

        /** The first value of a header, any case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
