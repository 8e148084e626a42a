package dev.nullspend.agent.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; monotonic and wall time advance together. */
final class FakeClock implements GuardClock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final AtomicLong millis;

    FakeClock(String isoInstant) {
        millis = new AtomicLong(Instant.parse(isoInstant).toEpochMilli());
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        millis.addAndGet(d.toMillis());
    }

    void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return millis.get();
    }
}
