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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
            return content.read(new ByteArrayInputStream(body.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).getBytes()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            // Seen without the agent too: now and then a Vert.x request to the JDK's HttpServer never completes.
            throw new IOException("no answer in 30 s from " + url, e);
        }
    }

    @Override
    protected Closeable client() {
        return () -> vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
