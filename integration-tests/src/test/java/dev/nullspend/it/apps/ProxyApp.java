package dev.nullspend.it.apps;

import dev.nullspend.api.Attribution;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.api.VelocityExceededException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/**
 * A program that posts an OpenAI chat completion request (gpt-4o-mini, not streamed) with
 * {@code java.net.http}, OkHttp or Apache HttpClient, and prints what it got, so a test can check a
 * NullSpend proxy's headers and denials. Calls are {@code key=value}s separated by {@code --}:
 * <ul>
 *   <li>{@code url=…} (required); {@code client=jdk|okhttp|hc4|hc5|hc5-async}; {@code mode=sync|async}
 *       ({@code send}/{@code sendAsync}, {@code execute}/{@code enqueue}; the Apache clients as their
 *       name says; HttpClient 5 without its automatic retries, which repeat a 429 before the program
 *       sees it);</li>
 *   <li>{@code session=}, {@code customer=}, {@code trace=}, {@code tags=k:v;k:v}: an attribution scope
 *       around the call; {@code header=Name:Value}: a header the program sets itself;</li>
 *   <li>{@code action=<agent id>}: the call is the task of a {@code proposeAndWait} ({@code http_post}),
 *       made once the action is approved.</li>
 * </ul>
 * It prints {@code status=<code>} and {@code body=<text>}, or {@code error=<class>} and, for the first
 * {@code NullSpendException} in the cause chain, {@code denial=<class>}, {@code code=}, {@code message=},
 * {@code recovery=<retryable>,<owner action>,<retry after>,<docs>} and {@code fields=} its figures.
 */
public final class ProxyApp {
    private static final byte[] BODY = CallArgs.chatBody("gpt-4o-mini", "off").getBytes(StandardCharsets.UTF_8);
    private static final Duration POLL = Duration.ofMillis(50);

    private final HttpClient jdk = HttpClient.newHttpClient();
    private final OkHttpClient okhttp = new OkHttpClient();

    public static void main(String[] args) throws Exception {
        ProxyApp app = new ProxyApp();
        try {
            for (Map<String, String> call : CallArgs.parse(args)) {
                Attribution.Builder scope = NullSpend.attribute();
                if (call.containsKey("session")) {
                    scope.session(call.get("session"));
                }
                if (call.containsKey("customer")) {
                    scope.customer(call.get("customer"));
                }
                if (call.containsKey("trace")) {
                    scope.traceId(call.get("trace"));
                }
                if (call.containsKey("tags")) {
                    for (String tag : call.get("tags").split(";")) {
                        scope.tag(tag.substring(0, tag.indexOf(':')), tag.substring(tag.indexOf(':') + 1));
                    }
                }
                try (Attribution.Scope ignored = scope.open()) {
                    if (call.containsKey("action")) {
                        NullSpend.proposeAndWait(call.get("action"), "http_post", Map.of("url", call.get("url")), actionId -> {
                            app.call(call);
                            return null;
                        }, null, null, POLL, Duration.ofSeconds(120));
                    } else {
                        app.call(call);
                    }
                } catch (Exception e) {
                    report(e);
                }
            }
        } finally {
            app.okhttp.dispatcher().executorService().shutdown();
            app.okhttp.connectionPool().evictAll();
        }
    }

    private void call(Map<String, String> call) throws Exception {
        String url = call.get("url");
        String[] header = call.containsKey("header") ? call.get("header").split(":", 2) : null;
        boolean async = call.getOrDefault("mode", "sync").equals("async");
        switch (call.getOrDefault("client", "jdk")) {
            case "hc4" -> {
                hc4(url, header);
                return;
            }
            case "hc5" -> {
                hc5(url, header);
                return;
            }
            case "hc5-async" -> {
                hc5Async(url, header);
                return;
            }
            default -> { }
        }
        if (call.getOrDefault("client", "jdk").equals("jdk")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(BODY));
            if (header != null) {
                request.header(header[0], header[1]);
            }
            HttpResponse<String> response = async
                    ? jdk.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS)
                    : jdk.send(request.build(), HttpResponse.BodyHandlers.ofString());
            print(response.statusCode(), response.body());
            return;
        }
        Request.Builder request = new Request.Builder().url(url)
                .post(RequestBody.create(MediaType.parse("application/json"), BODY));
        if (header != null) {
            request.header(header[0], header[1]);
        }
        Call c = okhttp.newCall(request.build());
        if (!async) {
            try (Response response = c.execute()) {
                print(response.code(), response.body().string());
            }
            return;
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        c.enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                    done.complete("status=" + response.code() + "\nbody=" + response.body().string());
                }
            }
        });
        try {
            System.out.println(done.get(30, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            report(e.getCause());
        }
    }

    private static void hc4(String url, String[] header) throws IOException {
        try (org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault()) {
            org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
            post.setEntity(new org.apache.http.entity.ByteArrayEntity(BODY, org.apache.http.entity.ContentType.APPLICATION_JSON));
            if (header != null) {
                post.addHeader(header[0], header[1]);
            }
            try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(post)) {
                print(response.getStatusLine().getStatusCode(),
                        org.apache.http.util.EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
            }
        }
    }

    private static void hc5(String url, String[] header) throws IOException {
        try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
                     org.apache.hc.client5.http.impl.classic.HttpClients.custom().disableAutomaticRetries().build()) {
            org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
            post.setEntity(new org.apache.hc.core5.http.io.entity.ByteArrayEntity(BODY,
                    org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
            if (header != null) {
                post.addHeader(header[0], header[1]);
            }
            client.execute(post, response -> {
                print(response.getCode(), org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity(),
                        StandardCharsets.UTF_8));
                return null;
            });
        }
    }

    private static void hc5Async(String url, String[] header) throws Exception {
        try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                     org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom().disableAutomaticRetries().build()) {
            client.start();
            org.apache.hc.client5.http.async.methods.SimpleHttpRequest request =
                    org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(url)
                            .setBody(BODY, org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build();
            if (header != null) {
                request.addHeader(header[0], header[1]);
            }
            org.apache.hc.client5.http.async.methods.SimpleHttpResponse response =
                    client.execute(request, null).get(30, TimeUnit.SECONDS);
            print(response.getCode(), response.getBodyText());
        }
    }

    private static void print(int status, String body) {
        System.out.println("status=" + status);
        System.out.println("body=" + body);
    }

    private static void report(Throwable e) {
        System.out.println("error=" + e.getClass().getName());
        Throwable t = e;
        while (t != null && !(t instanceof NullSpendException)) {
            t = t.getCause();
        }
        if (t == null) {
            return;
        }
        NullSpendException denial = (NullSpendException) t;
        Recovery r = denial.recovery();
        System.out.println("denial=" + denial.getClass().getName());
        System.out.println("code=" + denial.code());
        System.out.println("message=" + denial.getMessage());
        System.out.println("recovery=" + r.retryable() + "," + r.ownerActionRequired() + "," + r.retryAfterSeconds() + "," + r.docs());
        System.out.println("fields=" + fields(denial));
    }

    private static String fields(NullSpendException d) {
        if (d instanceof BudgetExceededException b) {
            return b.entityType() + "," + b.entityId() + "," + b.limitMicrodollars() + "," + b.spendMicrodollars() + ","
                    + b.remainingMicrodollars() + "," + b.estimatedCostMicrodollars();
        }
        if (d instanceof TagBudgetExceededException t) {
            return t.tagKey() + "," + t.tagValue() + "," + t.limitMicrodollars() + "," + t.spendMicrodollars() + ","
                    + t.remainingMicrodollars();
        }
        if (d instanceof VelocityExceededException v) {
            return v.limitMicrodollars() + "," + v.windowSeconds() + "," + v.currentMicrodollars() + "," + v.retryAfterSeconds();
        }
        if (d instanceof SessionLimitExceededException s) {
            return s.sessionId() + "," + s.sessionSpendMicrodollars() + "," + s.sessionLimitMicrodollars();
        }
        if (d instanceof LoopDetectedException l) {
            return l.provider() + "," + l.model() + "," + l.callCount() + "," + l.windowSeconds() + "," + l.maxCalls() + ","
                    + l.detectionType();
        }
        if (d instanceof MandateViolationException m) {
            return m.mandate() + "," + m.requested() + "," + m.allowed();
        }
        return "";
    }
}
