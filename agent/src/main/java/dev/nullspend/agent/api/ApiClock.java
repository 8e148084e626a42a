package dev.nullspend.agent.api;

import dev.nullspend.agent.guard.GuardClock;

/** Time for the API client: monotonic nanos, wall-clock millis (HTTP dates), and sleeping. Tests substitute a fake. */
public interface ApiClock extends GuardClock {

    void sleepNanos(long nanos) throws InterruptedException;

    /** The system clock. */
    ApiClock SYSTEM = new SystemClock();

    /** {@link System#nanoTime()}, {@link System#currentTimeMillis()} and {@link Thread#sleep}. */
    final class SystemClock implements ApiClock {
        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        }
    }
}
