package dev.nullspend.it.apps;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpClient 5.x async. Mode {@code sync}: {@code execute(…, null).get()} (a failure is the
 * {@code ExecutionException} {@code get()} throws); {@code async}: the outcome handed to the program's
 * {@code FutureCallback}. Read {@code whole} ({@code SimpleHttpRequest} and the built-in simple consumer),
 * {@code string} (a {@code BasicRequestProducer} over a {@code StringAsyncEntityProducer}, read by the
 * program's own {@code AbstractCharResponseConsumer}), {@code streamed} ({@code AsyncRequestBuilder}, read by
 * its own {@code AbstractBinResponseConsumer} as each buffer arrives). Option {@code build=default|minimal|no-retries}
 * (without the automatic retries, which repeat a 429 before the program sees it).
 */
public final class Hc5AsyncDriver implements ClientDriver {
    private final Map<String, CloseableHttpAsyncClient> clients = new HashMap<>();

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        CloseableHttpAsyncClient client = clients.computeIfAbsent(request.option("build", "default"), Hc5AsyncDriver::start);
        ContentType type = request.body() == null ? null : ContentType.create(request.contentType(), StandardCharsets.UTF_8);
        switch (read) {
            case "whole" -> {
                SimpleRequestBuilder builder = SimpleRequestBuilder.create(request.method()).setUri(request.url());
                if (request.body() != null) {
                    builder.setBody(request.body(), type);
                }
                request.headers().forEach(builder::addHeader);
                SimpleHttpRequest simple = builder.build();
                SimpleHttpResponse response = await(mode, callback -> client.execute(simple, callback));
                body.accept(response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes());
                return response.getCode();
            }
            case "string" -> {
                BasicHttpRequest basic = new BasicHttpRequest(request.method(), URI.create(request.url()));
                request.headers().forEach(basic::addHeader);
                StringAsyncEntityProducer entity = request.body() == null ? null
                        : new StringAsyncEntityProducer(new String(request.body(), StandardCharsets.UTF_8), type);
                return await(mode, callback -> client.execute(new BasicRequestProducer(basic, entity), new CharsConsumer(body),
                        callback));
            }
            case "streamed" -> {
                AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method()).setUri(request.url());
                if (request.body() != null) {
                    builder.setEntity(request.body(), type);
                }
                request.headers().forEach(builder::addHeader);
                return await(mode, callback -> client.execute(builder.build(), new BinConsumer(body), callback));
            }
            default -> throw new IllegalArgumentException("hc5-async read: whole, string or streamed");
        }
    }

    /** The program waits on the future, or hands a callback and waits for it. */
    private static <T> T await(String mode, Function<FutureCallback<T>, Future<T>> execute) throws Exception {
        switch (mode) {
            case "sync" -> {
                return execute.apply(null).get(30, TimeUnit.SECONDS);
            }
            case "async" -> {
                CompletableFuture<T> done = new CompletableFuture<>();
                execute.apply(new FutureCallback<>() {
                    @Override
                    public void completed(T result) {
                        done.complete(result);
                    }

                    @Override
                    public void failed(Exception e) {
                        done.completeExceptionally(e);
                    }

                    @Override
                    public void cancelled() {
                        done.completeExceptionally(new CancellationException());
                    }
                });
                try {
                    return done.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }
            default -> throw new IllegalArgumentException("hc5-async mode: sync or async");
        }
    }

    private static CloseableHttpAsyncClient start(String build) {
        CloseableHttpAsyncClient client = switch (build) {
            case "default" -> HttpAsyncClients.createDefault();
            case "minimal" -> HttpAsyncClients.createMinimal();
            case "no-retries" -> HttpAsyncClients.custom().disableAutomaticRetries().build();
            default -> throw new IllegalArgumentException("hc5-async build must be default, minimal or no-retries");
        };
        client.start();
        return client;
    }

    @Override
    public void close() {
        for (CloseableHttpAsyncClient client : clients.values()) {
            client.close(CloseMode.GRACEFUL);
        }
    }

    /** The program's own text consumer: passes on the decoded text (as UTF-8) chunk by chunk, as it arrives. */
    private static final class CharsConsumer extends AbstractCharResponseConsumer<Integer> {
        private final ReceivedBytes received;
        private int status;

        CharsConsumer(ReceivedBytes received) {
            this.received = received;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            status = response.getCode();
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(CharBuffer src, boolean endOfStream) {
            received.accept(src.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        protected Integer buildResult() {
            return status;
        }

        @Override
        public void releaseResources() {
        }
    }

    /** The program's own binary consumer: passes on each buffer as it arrives. */
    private static final class BinConsumer extends AbstractBinResponseConsumer<Integer> {
        private final ReceivedBytes received;
        private int status;

        BinConsumer(ReceivedBytes received) {
            this.received = received;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            status = response.getCode();
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            received.accept(bytes);
        }

        @Override
        protected Integer buildResult() {
            return status;
        }

        @Override
        public void releaseResources() {
        }
    }
}
