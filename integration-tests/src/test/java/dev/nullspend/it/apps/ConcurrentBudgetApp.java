package dev.nullspend.it.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpendException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Many threads spending one budget at once. Each thread makes chat completion calls, one after the
 * other, until the agent tells it the budget is spent for good: a {@link BudgetExceededException}
 * with nothing held by calls in flight ({@code reservedMicrodollars() == 0}). A denial while other
 * calls still hold their estimates only says "not now": the thread waits a millisecond and tries
 * again. Even threads call synchronously, odd ones asynchronously. Every request body has the same
 * length (its {@code user} field is {@code t<thread>-c<call>}, fixed width), so every call has the
 * same estimate, and a body of its own, so loop detection never sees a repeat.
 *
 * <p>Arguments, {@code key=value}: {@code client=jdk|okhttp} ({@code send}/{@code sendAsync}, or
 * {@code execute}/{@code enqueue}); {@code url=} the chat completions URL; {@code model=};
 * {@code max-tokens=}; {@code threads=}; {@code deadline-ms=} how long the threads may run in all;
 * optionally {@code retry-ms=} the wait after a "not now" denial (default 1).
 *
 * <p>Prints, after every thread has ended: one {@code denial={json}} line per distinct denial seen (the
 * {@link DenialFigures}, with {@code surface}, the class the program received, and {@code count}), then
 * {@code admitted=<calls answered 200>}, {@code other=<calls that ended any other way>} and
 * {@code stopped=<threads that saw the budget spent>}. Exits 0.
 */
public final class ConcurrentBudgetApp {

    private final Map<String, String> options;
    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final OkHttpClient okHttp = new OkHttpClient();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();
    private final AtomicInteger stopped = new AtomicInteger();
    private final Map<String, AtomicInteger> denials = new ConcurrentHashMap<>();

    private ConcurrentBudgetApp(Map<String, String> options) {
        this.options = options;
    }

    /** The {@code user} field of a thread's call: fixed width, so every body has the same length. */
    public static String user(int thread, int call) {
        return String.format("t%02d-c%04d", thread, call);
    }

    public static void main(String[] args) throws InterruptedException {
        ConcurrentBudgetApp app = new ConcurrentBudgetApp(CallArgs.parse(args).get(0));
        int threads = Integer.parseInt(app.options.get("threads"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(app.options.get("deadline-ms")));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(new Thread(() -> app.spend(thread, start, deadline), "spender-" + t));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        app.okHttp.dispatcher().executorService().shutdown();
        app.okHttp.connectionPool().evictAll();
        new TreeMap<>(app.denials).forEach((json, count) -> {
            try {
                ObjectNode line = (ObjectNode) DenialFigures.JSON.readTree(json);
                System.out.println("denial=" + line.put("count", count.get()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("admitted=" + app.admitted.get());
        System.out.println("other=" + app.other.get());
        System.out.println("stopped=" + app.stopped.get());
    }

    private void spend(int thread, CountDownLatch start, long deadline) {
        try {
            start.await();
        } catch (InterruptedException e) {
            return;
        }
        boolean async = thread % 2 == 1;
        String model = options.get("model");
        int maxTokens = Integer.parseInt(options.get("max-tokens"));
        for (int call = 0; System.nanoTime() - deadline < 0; call++) {
            byte[] body = CallArgs.chatBody(model, maxTokens, user(thread, call)).getBytes(StandardCharsets.UTF_8);
            Throwable failure;
            try {
                int status = okhttp() ? okHttpCall(body, async) : jdkCall(body, async);
                if (status == 200) {
                    admitted.incrementAndGet();
                    continue;
                }
                failure = new IOException("status " + status);
            } catch (Exception e) {
                failure = e;
            }
            NullSpendException denial = DenialFigures.find(failure);
            if (denial == null) {
                other.incrementAndGet();
                return;
            }
            ObjectNode seen = DenialFigures.describe(denial).put("surface", failure.getClass().getName());
            denials.computeIfAbsent(seen.toString(), k -> new AtomicInteger()).incrementAndGet();
            if (!(denial instanceof BudgetExceededException budget) || budget.reservedMicrodollars() == 0) {
                stopped.incrementAndGet();
                return;
            }
            try {
                Thread.sleep(Long.parseLong(options.getOrDefault("retry-ms", "1")));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean okhttp() {
        return switch (options.get("client")) {
            case "jdk" -> false;
            case "okhttp" -> true;
            default -> throw new IllegalArgumentException("client must be jdk or okhttp");
        };
    }

    /** The status of a call whose body was read whole; the failure the program received, thrown. */
    private int jdkCall(byte[] body, boolean async) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.get("url"))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-test-not-a-real-key").POST(BodyPublishers.ofByteArray(body)).build();
        if (!async) {
            return jdk.send(request, BodyHandlers.ofByteArray()).statusCode();
        }
        return await(jdk.sendAsync(request, BodyHandlers.ofByteArray())).statusCode();
    }

    /** The future's result; when it failed, what it failed with, as the program's callback would get it. */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** As {@link #jdkCall}, with {@code execute()} or {@code enqueue()} ({@code RequestBody.create(MediaType, …)}: the form OkHttp 3 has too). */
    @SuppressWarnings("deprecation")
    private int okHttpCall(byte[] body, boolean async) throws Exception {
        Request request = new Request.Builder().url(options.get("url")).header("Authorization", "Bearer sk-test-not-a-real-key")
                .post(RequestBody.create(MediaType.parse("application/json"), body)).build();
        if (!async) {
            try (Response r = okHttp.newCall(request).execute()) {
                return readWhole(r);
            }
        }
        return await(OkHttpDriver.enqueue(okHttp.newCall(request), ConcurrentBudgetApp::readWhole));
    }

    private static int readWhole(Response response) throws IOException {
        response.body().bytes();
        return response.code();
    }
}
