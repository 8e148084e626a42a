package dev.nullspend.it.apps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * OkHttp, compiled against OkHttp 4 but using only API that 3.14, 4.x and 5.x share, so one build runs on
 * each (the test chooses the class path). Mode {@code sync} ({@code execute()}) or {@code async}
 * ({@code enqueue()}, the body read in the callback on OkHttp's dispatcher thread; the failure is what
 * {@code onFailure} got); read {@code whole} ({@code body().bytes()}), {@code string}, {@code streamed} or
 * {@code lines} (both: {@code body().source()} one line at a time as it arrives, each with its {@code \n});
 * option {@code client=base|derived|rebuilt}: the one client built from a builder, a client made for the
 * call with {@code base.newBuilder().build()}, or one made by building the base's builder again.
 */
public final class OkHttpDriver implements ClientDriver {

    private final OkHttpClient.Builder builder = new OkHttpClient.Builder();
    private final OkHttpClient base = builder.build();

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        Call call = client(request.option("client", "base")).newCall(request(request));
        switch (mode) {
            case "sync" -> {
                try (Response response = call.execute()) {
                    return consume(response, read, body);
                }
            }
            case "async" -> {
                try {
                    return enqueue(call, response -> consume(response, read, body)).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }
            default -> throw new IllegalArgumentException("okhttp mode: sync or async");
        }
    }

    /** What the program does with a response in OkHttp's callback, on the dispatcher thread. */
    interface ResponseReader<T> {
        T read(Response response) throws IOException;
    }

    /** {@code enqueue()}: what {@code reader} made of the response (closed after), or the failure {@code onFailure} got. */
    static <T> CompletableFuture<T> enqueue(Call call, ResponseReader<T> reader) {
        CompletableFuture<T> done = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    done.complete(reader.read(response));
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        return done;
    }

    private static int consume(Response response, String read, ReceivedBytes body) throws IOException {
        switch (read) {
            case "whole" -> body.accept(response.body().bytes());
            case "string" -> body.accept(response.body().string().getBytes(StandardCharsets.UTF_8));
            case "streamed", "lines" -> {
                BufferedSource source = response.body().source();
                while (!source.exhausted()) {
                    long newline = source.indexOf((byte) '\n');
                    body.accept(newline == -1 ? source.readByteArray() : source.readByteArray(newline + 1));
                }
            }
            default -> throw new IllegalArgumentException("okhttp read: whole, string, streamed or lines");
        }
        return response.code();
    }

    private OkHttpClient client(String kind) {
        return switch (kind) {
            case "base" -> base;
            case "derived" -> base.newBuilder().build();
            case "rebuilt" -> builder.build();
            default -> throw new IllegalArgumentException("client must be base, derived or rebuilt");
        };
    }

    /** {@code RequestBody.create(MediaType, …)}: deprecated in OkHttp 4, but the form OkHttp 3 also has. */
    @SuppressWarnings("deprecation")
    private static Request request(ClientRequest request) {
        Request.Builder builder = new Request.Builder().url(request.url());
        request.headers().forEach(builder::header);
        if (request.body() != null) {
            builder.post(RequestBody.create(MediaType.parse(request.contentType()), request.body()));
        }
        return builder.build();
    }

    @Override
    public void close() {
        // Derived and rebuilt clients share the base's dispatcher and pool; their threads must not keep the JVM up.
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
