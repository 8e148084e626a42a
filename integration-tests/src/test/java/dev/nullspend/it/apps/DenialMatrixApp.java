package dev.nullspend.it.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.io.CloseMode;

/**
 * A program that makes the same chat completion call through every client and way of calling it,
 * and reports exactly what it got back, so that a test can check each denial kind on each of them.
 * The arguments are calls separated by {@code --}, each {@code key=value}s:
 * <ul>
 *   <li>{@code via=} how the call is made: {@code jdk-send}, {@code jdk-send-async} ({@code java.net.http});
 *       {@code okhttp-execute}, {@code okhttp-enqueue}; {@code hc4} (4.5 classic {@code execute} with a
 *       response handler), {@code hc5} (5.x classic, likewise); {@code hc5-async-future} (5.x async,
 *       {@code execute(…, null).get()}), {@code hc5-async-callback} (5.x async, the failure or response
 *       handed to the program's {@code FutureCallback});</li>
 *   <li>{@code url=} the chat completions URL; {@code model=}, {@code max-tokens=}, {@code user=}: the
 *       request, built by {@link #chatBody};</li>
 *   <li>{@code customer=}: made inside {@code NullSpend.attribute().customer(…)}'s scope (without it, in an
 *       empty one).</li>
 * </ul>
 * Per call it prints one line {@code result={json}} with {@code via} and either {@code status} and
 * {@code bytes} of the response, or {@code surface} — the class of what the program received: the
 * exception thrown, the one the future completed with ({@code jdk-send-async}: read with
 * {@code handle}, unwrapped by nothing; {@code hc5-async-future}: thrown by {@code get()}), or the one
 * passed to the callback — and {@code denial}, the {@link DenialFigures} of the first
 * {@link NullSpendException} in its cause chain (absent when there is none). Exits 0.
 */
public final class DenialMatrixApp {

    private static final long WAIT_SECONDS = 30;
    private static final String AUTHORIZATION = "Bearer sk-test-not-a-real-key";

    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final OkHttpClient okHttp = new OkHttpClient();
    private final org.apache.http.impl.client.CloseableHttpClient hc4 = org.apache.http.impl.client.HttpClients.createDefault();
    private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient hc5 =
            org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
    private final CloseableHttpAsyncClient hc5Async = HttpAsyncClients.createDefault();

    /** What a call handed back: a status and body size, or the failure the program received. */
    private record Outcome(int status, int bytes, Throwable failure) {
        static Outcome of(int status, byte[] body) {
            return new Outcome(status, body.length, null);
        }

        static Outcome failed(Throwable t) {
            return new Outcome(0, 0, t);
        }
    }

    /** An OpenAI chat completion body for {@code model} with {@code max_tokens} and a {@code user} field. */
    public static String chatBody(String model, int maxTokens, String user) {
        return CallArgs.chatBody(model, maxTokens, user);
    }

    public static void main(String[] args) throws IOException {
        DenialMatrixApp app = new DenialMatrixApp();
        app.hc5Async.start();
        try {
            for (Map<String, String> call : CallArgs.parse(args)) {
                String via = call.get("via");
                byte[] body = chatBody(call.get("model"), Integer.parseInt(call.get("max-tokens")), call.get("user"))
                        .getBytes(StandardCharsets.UTF_8);
                Outcome outcome;
                try (Attribution.Scope scope = NullSpend.attribute().customer(call.get("customer")).open()) {
                    outcome = app.call(via, call.get("url"), body);
                } catch (Exception e) {
                    outcome = Outcome.failed(e);
                }
                print(via, outcome);
            }
        } finally {
            app.hc4.close();
            app.hc5.close();
            app.hc5Async.close(CloseMode.GRACEFUL);
            app.okHttp.dispatcher().executorService().shutdown();
            app.okHttp.connectionPool().evictAll();
        }
    }

    private static void print(String via, Outcome outcome) {
        ObjectNode line = DenialFigures.JSON.createObjectNode().put("via", via);
        if (outcome.failure() == null) {
            line.put("status", outcome.status()).put("bytes", outcome.bytes());
        } else {
            line.put("surface", outcome.failure().getClass().getName());
            NullSpendException denial = DenialFigures.find(outcome.failure());
            if (denial != null) {
                line.set("denial", DenialFigures.describe(denial));
            }
        }
        System.out.println("result=" + line);
    }

    private Outcome call(String via, String url, byte[] body) throws Exception {
        return switch (via) {
            case "jdk-send" -> {
                HttpResponse<byte[]> r = jdk.send(jdkRequest(url, body), BodyHandlers.ofByteArray());
                yield Outcome.of(r.statusCode(), r.body());
            }
            case "jdk-send-async" -> jdk.sendAsync(jdkRequest(url, body), BodyHandlers.ofByteArray())
                    .handle((r, t) -> t == null ? Outcome.of(r.statusCode(), r.body()) : Outcome.failed(t))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            case "okhttp-execute" -> {
                try (Response r = okHttp.newCall(okHttpRequest(url, body)).execute()) {
                    yield Outcome.of(r.code(), r.body().bytes());
                }
            }
            case "okhttp-enqueue" -> okHttpEnqueue(url, body).get(WAIT_SECONDS, TimeUnit.SECONDS);
            case "hc4" -> {
                org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
                post.addHeader("Authorization", AUTHORIZATION);
                post.setEntity(new org.apache.http.entity.ByteArrayEntity(body,
                        org.apache.http.entity.ContentType.APPLICATION_JSON));
                yield hc4.execute(post, r -> Outcome.of(r.getStatusLine().getStatusCode(),
                        org.apache.http.util.EntityUtils.toByteArray(r.getEntity())));
            }
            case "hc5" -> {
                org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
                post.addHeader("Authorization", AUTHORIZATION);
                post.setEntity(new org.apache.hc.core5.http.io.entity.ByteArrayEntity(body,
                        org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
                yield hc5.execute(post, r -> Outcome.of(r.getCode(),
                        org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity())));
            }
            case "hc5-async-future" -> {
                try {
                    SimpleHttpResponse r = hc5Async.execute(hc5AsyncRequest(url, body), null).get(WAIT_SECONDS, TimeUnit.SECONDS);
                    yield Outcome.of(r.getCode(), r.getBodyBytes());
                } catch (ExecutionException e) {
                    yield Outcome.failed(e);
                }
            }
            case "hc5-async-callback" -> hc5AsyncCallback(url, body).get(WAIT_SECONDS, TimeUnit.SECONDS);
            default -> throw new IllegalArgumentException("unknown via=" + via);
        };
    }

    private static HttpRequest jdkRequest(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", AUTHORIZATION).POST(BodyPublishers.ofByteArray(body)).build();
    }

    /** {@code RequestBody.create(MediaType, …)}: deprecated in OkHttp 4, but the form OkHttp 3 also has. */
    @SuppressWarnings("deprecation")
    private static Request okHttpRequest(String url, byte[] body) {
        return new Request.Builder().url(url).header("Authorization", AUTHORIZATION)
                .post(RequestBody.create(MediaType.parse("application/json"), body)).build();
    }

    private CompletableFuture<Outcome> okHttpEnqueue(String url, byte[] body) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        okHttp.newCall(okHttpRequest(url, body)).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.complete(Outcome.failed(e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    done.complete(Outcome.of(response.code(), response.body().bytes()));
                } catch (IOException | RuntimeException e) {
                    done.complete(Outcome.failed(e));
                }
            }
        });
        return done;
    }

    private static SimpleHttpRequest hc5AsyncRequest(String url, byte[] body) {
        return SimpleRequestBuilder.post(url).addHeader("Authorization", AUTHORIZATION)
                .setBody(body, org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build();
    }

    private CompletableFuture<Outcome> hc5AsyncCallback(String url, byte[] body) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        hc5Async.execute(hc5AsyncRequest(url, body), new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse r) {
                done.complete(Outcome.of(r.getCode(), r.getBodyBytes()));
            }

            @Override
            public void failed(Exception e) {
                done.complete(Outcome.failed(e));
            }

            @Override
            public void cancelled() {
                done.complete(Outcome.failed(new java.util.concurrent.CancellationException()));
            }
        });
        return done;
    }
}
