package dev.nullspend.agent.guard;

/**
 * The two clocks enforcement needs: a monotonic one for windows, cool-downs and reservation
 * lifetimes (immune to wall-clock jumps), and the wall clock for UTC calendar periods and ledger
 * timestamps. Tests inject a fake that moves both; the system's is {@code ApiClock.SYSTEM}.
 */
public interface GuardClock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
    long currentTimeMillis();
}
