package dev.nullspend.it.apps;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x 5 (and 4: Vertx4IT) as programs use it from a thread of their own (the calls run on Vert.x's event loop; the program
 * waits on the future). Mode {@code client} (or {@code sync}): the core {@code HttpClient} ({@code request(options)}, then
 * {@code send(buffer)}), read {@code whole} ({@code response.body()}), {@code string} (the same, as text) or
 * {@code streamed} ({@code response.handler(…)}, each buffer as it arrives). Mode {@code web}: the
 * {@code WebClient} ({@code sendBuffer}), read {@code whole} ({@code BodyCodec.buffer()}), {@code string}
 * ({@code BodyCodec.string()}) or {@code streamed} ({@code BodyCodec.pipe} into the program's own
 * {@code WriteStream}). A failure is the one the future failed with. Clients with Vert.x's defaults (no
 * compression asked for: a gzip body reaches the program as sent, and the agent decodes it for itself).
 */
public final class VertxDriver implements ClientDriver {
    private Vertx vertx;
    private HttpClient client;
    private WebClient web;

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        start();
        Future<Integer> call = switch (mode) {
            case "sync", "client" -> client(request, read, body);
            case "web" -> web(request, read, body);
            default -> throw new IllegalArgumentException("vertx mode: client or web");
        };
        try {
            return call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private Future<Integer> client(ClientRequest request, String read, ReceivedBytes body) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(request.url())
                .setMethod(HttpMethod.valueOf(request.method()));
        request.headers().forEach(options::putHeader);
        if (request.contentType() != null) {
            options.putHeader("Content-Type", request.contentType());
        }
        return client.request(options).compose(r -> request.body() == null ? r.send() : r.send(Buffer.buffer(request.body())))
                .compose(response -> read(response, read, body));
    }

    private static Future<Integer> read(HttpClientResponse response, String read, ReceivedBytes body) {
        return switch (read) {
            case "whole" -> response.body().map(buffer -> {
                body.accept(buffer.getBytes());
                return response.statusCode();
            });
            case "string" -> response.body().map(buffer -> {
                body.accept(buffer.toString(StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
                return response.statusCode();
            });
            case "streamed" -> {
                response.handler(buffer -> body.accept(buffer.getBytes()));
                yield response.end().map(v -> response.statusCode());
            }
            default -> throw new IllegalArgumentException("vertx read: whole, string or streamed");
        };
    }

    private Future<Integer> web(ClientRequest request, String read, ReceivedBytes body) {
        HttpRequest<Buffer> call = web.requestAbs(HttpMethod.valueOf(request.method()), request.url());
        request.headers().forEach(call::putHeader);
        if (request.contentType() != null) {
            call.putHeader("Content-Type", request.contentType());
        }
        return switch (read) {
            case "whole" -> send(call, request).map(response -> {
                body.accept(response.body() == null ? new byte[0] : response.body().getBytes());
                return response.statusCode();
            });
            case "string" -> send(call.as(BodyCodec.string()), request).map(response -> {
                body.accept(response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8));
                return response.statusCode();
            });
            case "streamed" -> send(call.as(BodyCodec.pipe(new Received(body))), request).map(HttpResponse::statusCode);
            default -> throw new IllegalArgumentException("vertx read: whole, string or streamed");
        };
    }

    private static <T> Future<HttpResponse<T>> send(HttpRequest<T> call, ClientRequest request) {
        return request.body() == null ? call.send() : call.sendBuffer(Buffer.buffer(request.body()));
    }

    private void start() throws ReflectiveOperationException {
        if (vertx == null) {
            vertx = Vertx.vertx();
            // Vert.x 5's createHttpClient() returns an HttpClientAgent, 4's an HttpClient: called by name, it links on both.
            client = (HttpClient) Vertx.class.getMethod("createHttpClient").invoke(vertx);
            web = WebClient.create(vertx);
        }
    }

    @Override
    public void close() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The program's own stream for {@code BodyCodec.pipe}: takes each buffer as it arrives. */
    private static final class Received implements WriteStream<Buffer> {
        private final ReceivedBytes body;

        Received(ReceivedBytes body) {
            this.body = body;
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            body.accept(data.getBytes());
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> end() {
            return Future.succeededFuture();
        }

        // Vert.x 4's callback forms (Vert.x 5 dropped them), for the Vert.x 4 run (Vertx4IT); Object as the erased T.
        public void write(Object data, Handler<AsyncResult<Void>> handler) {
            write((Buffer) data);
            handler.handle(Future.succeededFuture());
        }

        public void end(Handler<AsyncResult<Void>> handler) {
            handler.handle(Future.succeededFuture());
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
