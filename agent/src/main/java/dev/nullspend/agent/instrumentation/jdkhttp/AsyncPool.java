package dev.nullspend.agent.instrumentation.jdkhttp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where a body is read ahead for {@code sendAsync} when the program gave its client no executor:
 * {@code CompletableFuture}'s own async pool (the common pool, or a thread per task when that
 * pool has a single thread, so a blocking read never holds up the rest).
 */
public final class AsyncPool implements Executor {
    static final AsyncPool INSTANCE = new AsyncPool();

    private AsyncPool() {
    }

    @Override
    public void execute(Runnable task) {
        CompletableFuture.runAsync(task);
    }
}
