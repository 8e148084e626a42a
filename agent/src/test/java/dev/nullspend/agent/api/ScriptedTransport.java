package dev.nullspend.agent.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An {@link HttpTransport} that answers from a script, at once, and records every request. The
 * script returns a {@link HttpTransport.Response}, an {@link IOException} to fail with, or null to
 * leave the exchange pending forever.
 */
public final class ScriptedTransport implements HttpTransport {
    private final Function<Request, Object> script;
    private final List<Request> requests = new ArrayList<>();
    private final List<CompletableFuture<Response>> futures = new ArrayList<>();

    public ScriptedTransport(Function<Request, Object> script) {
        this.script = script;
    }

    /** Answers the listed outcomes in order, then repeats the last one. */
    public static ScriptedTransport sequence(Object... outcomes) {
        int[] next = {0};
        return new ScriptedTransport(request -> outcomes[Math.min(next[0]++, outcomes.length - 1)]);
    }

    public static Response response(int status, String body, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
        }
        return new Response(status, Map.copyOf(headers), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response batchAccepted(int inserted) {
        return response(201, "{\"inserted\":" + inserted + ",\"ids\":[]}");
    }

    public static Response error(int status, String code, String message, String... headerPairs) {
        return response(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}",
                headerPairs);
    }

    @Override
    public synchronized CompletableFuture<Response> send(Request request) {
        requests.add(request);
        Object outcome = script.apply(request);
        CompletableFuture<Response> future = new CompletableFuture<>();
        futures.add(future);
        if (outcome instanceof Response r) {
            future.complete(r);
        } else if (outcome instanceof IOException e) {
            future.completeExceptionally(e);
        } else if (outcome != null) {
            throw new IllegalArgumentException("script returned " + outcome);
        }
        return future;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<CompletableFuture<Response>> futures() {
        return List.copyOf(futures);
    }

    public static String bodyText(Request request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }
}
