package dev.nullspend.agent.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A clock that only moves when told to, or when something sleeps on it (each sleep is recorded). */
public final class FakeClock implements ApiClock {
    /** 2026-04-12T10:00:00Z: the wall clock at nanoTime 0. */
    public static final long EPOCH_MILLIS = 1_775_988_000_000L;

    private long nanos = TimeUnit.SECONDS.toNanos(1000);
    private final long startNanos = nanos;
    private final List<Long> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long currentTimeMillis() {
        return EPOCH_MILLIS + (nanos - startNanos) / 1_000_000;
    }

    @Override
    public synchronized void sleepNanos(long n) {
        sleeps.add(n);
        nanos += n;
    }

    public synchronized void advance(long n, TimeUnit unit) {
        nanos += unit.toNanos(n);
    }

    /** Total time slept so far, in nanoseconds. */
    public synchronized long slept() {
        return sleeps.stream().mapToLong(Long::longValue).sum();
    }
}
