package dev.nullspend.it.apps;

import dev.nullspend.it.fake.DeterministicBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * A program that makes calls with OkHttp and reports exactly what it received, so a test can compare
 * runs with and without the agent. It is compiled against OkHttp 4 but uses only API that OkHttp
 * 3.14, 4.x and 5.x share, so one build runs on each of them (the test chooses the class path). The
 * arguments describe one call, or several separated by {@code --}, made in order; each call is
 * {@code key=value}s:
 * <ul>
 *   <li>{@code url=…} (required) the full URL;</li>
 *   <li>{@code chat=<model>}: POST an OpenAI chat completion request for that model, with
 *       {@code stream=off|usage|no-usage} (default off), see {@link CallArgs#chatBody};</li>
 *   <li>{@code post=<n>}: POST n bytes of {@code DeterministicBytes} instead; with neither, GET;</li>
 *   <li>{@code read=string|lines}: {@code body().string()} (for UTF-8 bodies), or the body read from
 *       {@code body().source()} one line at a time as it arrives, each line's bytes with its {@code \n};
 *       default string;</li>
 *   <li>{@code mode=execute|enqueue}: {@code execute()}, or {@code enqueue()} with the body read in
 *       the callback on OkHttp's dispatcher thread; default execute;</li>
 *   <li>{@code client=base|derived|rebuilt}: the program's one client built from a builder, a client
 *       made for this call with {@code base.newBuilder().build()}, or one made by building the
 *       base's builder again; default base.</li>
 * </ul>
 * For each call it prints {@code status=<code>}, {@code first-event} as soon as {@code lines} has read
 * the end of the first SSE event, {@code sha256=<hex>} and {@code bytes=<n>} of the body; when the call
 * fails, {@code error=<exception class>} and, when it has a cause, {@code cause=<its class>}. It exits
 * 0 either way: the exit code is for the agent's behaviour, not the server's.
 */
public final class OkHttpApp {

    private static final long ASYNC_TIMEOUT_SECONDS = 30;

    private final OkHttpClient.Builder builder = new OkHttpClient.Builder();
    private final OkHttpClient base = builder.build();

    public static void main(String[] args) throws Exception {
        OkHttpApp app = new OkHttpApp();
        try {
            for (Map<String, String> call : CallArgs.parse(args)) {
                app.call(call);
            }
        } finally {
            // Derived and rebuilt clients share the base's dispatcher and pool; their threads must not keep the JVM up.
            app.base.dispatcher().executorService().shutdown();
            app.base.connectionPool().evictAll();
        }
    }

    private void call(Map<String, String> options) throws Exception {
        Call call = client(options.getOrDefault("client", "base")).newCall(request(options));
        boolean lines = switch (options.getOrDefault("read", "string")) {
            case "string" -> false;
            case "lines" -> true;
            default -> throw new IllegalArgumentException("read must be string or lines");
        };
        switch (options.getOrDefault("mode", "execute")) {
            case "execute" -> {
                try (Response response = call.execute()) {
                    consume(response, lines);
                } catch (IOException | RuntimeException e) {
                    printFailure(e);
                }
            }
            case "enqueue" -> enqueue(call, lines).get(ASYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            default -> throw new IllegalArgumentException("mode must be execute or enqueue");
        }
    }

    private static CompletableFuture<Void> enqueue(Call call, boolean lines) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                printFailure(e);
                done.complete(null);
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    consume(response, lines);
                } catch (IOException | RuntimeException e) {
                    printFailure(e);
                } finally {
                    done.complete(null);
                }
            }
        });
        return done;
    }

    private static void consume(Response response, boolean lines) throws IOException {
        System.out.println("status=" + response.code());
        ResponseBody body = response.body();
        ReceivedBytes received = new ReceivedBytes();
        if (lines) {
            BufferedSource source = body.source();
            while (!source.exhausted()) {
                long newline = source.indexOf((byte) '\n');
                received.accept(newline == -1 ? source.readByteArray() : source.readByteArray(newline + 1));
            }
        } else {
            received.accept(body.string().getBytes(StandardCharsets.UTF_8));
        }
        received.printSummary();
    }

    private static void printFailure(Exception e) {
        System.out.println("error=" + e.getClass().getName());
        if (e.getCause() != null) {
            System.out.println("cause=" + e.getCause().getClass().getName());
        }
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
    private static Request request(Map<String, String> options) {
        String url = options.get("url");
        if (url == null) {
            throw new IllegalArgumentException("url= is required");
        }
        Request.Builder request = new Request.Builder().url(url);
        if (options.containsKey("chat")) {
            String json = CallArgs.chatBody(options.get("chat"), options.getOrDefault("stream", "off"));
            request.header("Authorization", "Bearer sk-test-not-a-real-key")
                    .post(RequestBody.create(MediaType.parse("application/json"), json.getBytes(StandardCharsets.UTF_8)));
        } else if (options.containsKey("post")) {
            request.post(RequestBody.create(MediaType.parse("application/octet-stream"),
                    DeterministicBytes.of(Integer.parseInt(options.get("post")))));
        }
        return request.build();
    }
}
