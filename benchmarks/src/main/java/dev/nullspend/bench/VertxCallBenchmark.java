package dev.nullspend.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** {@link ClientCallBenchmark} through Vert.x's {@code HttpClient}, the benchmark thread waiting for each body. */
public class VertxCallBenchmark extends ClientCallBenchmark {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();

    @Override
    protected <T> T execute(String url, String json, Content<T> content) throws IOException {
        RequestOptions options = new RequestOptions().setAbsoluteURI(url).setMethod(json == null ? HttpMethod.GET : HttpMethod.POST);
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        Future<Buffer> body = client.request(options)
                .compose(request -> json == null ? request.send() : request.send(json))
                .compose(HttpClientResponse::body);
        try {
            return content.read(new ByteArrayInputStream(body.toCompletionStage().toCompletableFuture().get().getBytes()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    protected Closeable client() {
        return () -> vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
