package dev.nullspend.it.apps;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/** How the Reactor-based drivers (raw Reactor Netty, Spring WebClient) wait for a call, the same way for both. */
final class ReactorCalls {
    private ReactorCalls() {
    }

    /**
     * Mode {@code sync}: {@code block()} on the caller's thread; {@code async}: {@code subscribe} with the
     * program's callbacks (they run on Netty's event loop), the failure being what {@code onError} got.
     */
    static int await(Mono<Integer> call, String mode, String client) throws Exception {
        return switch (mode) {
            case "sync" -> call.block();
            case "async" -> {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                call.subscribe(done::complete, done::completeExceptionally);
                try {
                    yield done.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }
            default -> throw new IllegalArgumentException(client + " mode: sync or async");
        };
    }
}
