package dev.nullspend.it.apps;

import dev.nullspend.api.Attribution;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A program that enqueues OkHttp calls inside and outside a {@code NullSpend.attribute().customer(…)}
 * scope (OkHttp runs them on its dispatcher thread), using only API OkHttp 3.14, 4.x and 5.x share; it
 * runs only under the agent, which provides {@code agent-api}. Arguments: {@code <url> <customer>}. It
 * makes three calls to the URL: {@code enqueue} inside the scope, {@code enqueue} outside it,
 * {@code execute} inside it; and prints per call {@code status=<code>}, or {@code error=<class>} then,
 * for a budget denial found as the failure or its cause, {@code denied=<class> <entityType>/<entityId>}.
 */
public final class ScopedEnqueueApp {

    private ScopedEnqueueApp() {
    }

    public static void main(String[] args) throws Exception {
        OkHttpClient client = new OkHttpClient();
        String url = args[0];
        try {
            try (Attribution.Scope scope = NullSpend.attribute().customer(args[1]).open()) {
                enqueue(client, url);
            }
            enqueue(client, url);
            try (Attribution.Scope scope = NullSpend.attribute().customer(args[1]).open();
                 Response response = client.newCall(request(url)).execute()) {
                System.out.println("status=" + response.code());
            } catch (IOException | RuntimeException e) {
                printFailure(e);
            }
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static void enqueue(OkHttpClient client, String url) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.newCall(request(url)).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                printFailure(e);
                done.complete(null);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    response.body().bytes();
                    System.out.println("status=" + response.code());
                } catch (IOException e) {
                    printFailure(e);
                } finally {
                    done.complete(null);
                }
            }
        });
        done.get(30, TimeUnit.SECONDS);
    }

    private static void printFailure(Exception e) {
        System.out.println("error=" + e.getClass().getName());
        Throwable denial = e instanceof BudgetExceededException ? e : e.getCause();
        if (denial instanceof BudgetExceededException b) {
            System.out.println("denied=" + b.getClass().getName() + " " + b.entityType() + "/" + b.entityId());
        }
    }

    /** {@code RequestBody.create(MediaType, …)}: deprecated in OkHttp 4, but the form OkHttp 3 also has. */
    @SuppressWarnings("deprecation")
    private static Request request(String url) {
        String json = CallArgs.chatBody("gpt-4o", 2000, "scoped-enqueue");
        return new Request.Builder().url(url).header("Authorization", "Bearer sk-test-not-a-real-key")
                .post(RequestBody.create(MediaType.parse("application/json"), json.getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
