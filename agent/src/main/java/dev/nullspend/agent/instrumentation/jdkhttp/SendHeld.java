package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.api.Attribution;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A {@code sendAsync} whose body is being read ahead: once it is settled, sends the request with
 * the held body through {@code sendAsync} again (where the advice recognises, checks and tees
 * it as any other call), in the attribution scope of the program's call, and completes the
 * future the program holds exactly as the client's own completes. A cancel of the program's
 * future before the send means no send; after it, the client's future is cancelled too.
 */
public final class SendHeld<T> implements Runnable, BiConsumer<HttpResponse<T>, Throwable> {
    private final HttpClient client;
    private final HttpRequest request;
    private final HttpResponse.BodyHandler<T> handler;
    private final HttpResponse.PushPromiseHandler<T> pushPromises;
    private final Attribution scope = Attribution.current();
    private final CompletableFuture<HttpResponse<T>> program = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<T>> sent;

    public SendHeld(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler,
                    HttpResponse.PushPromiseHandler<T> pushPromises) {
        this.client = client;
        this.request = request;
        this.handler = handler;
        this.pushPromises = pushPromises;
        program.whenComplete(this);
    }

    /** The future {@code sendAsync} returns to the program. */
    public CompletableFuture<HttpResponse<T>> future() {
        return program;
    }

    @Override
    public void run() {
        if (program.isDone()) {
            ((HeldBodyPublisher) request.bodyPublisher().get()).held().cancel();
            return;
        }
        try (Attribution.Scope ignored = scope.open()) {
            CompletableFuture<HttpResponse<T>> f = client.sendAsync(request, handler, pushPromises);
            sent = f;
            f.whenComplete(this);
        } catch (Throwable t) {
            program.completeExceptionally(t);
        }
    }

    /** The client's future completed: so does the program's, with the same; or the program cancelled its own. */
    @Override
    public void accept(HttpResponse<T> response, Throwable failure) {
        if (program.isCancelled()) {
            CompletableFuture<HttpResponse<T>> f = sent;
            if (f != null) {
                f.cancel(true);
            }
        } else if (failure != null) {
            program.completeExceptionally(failure);
        } else {
            program.complete(response);
        }
    }
}
