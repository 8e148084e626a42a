package dev.nullspend.agent.core;

/**
 * Per-thread nesting depth for one instrumented entry point, so that a client method that calls
 * another instrumented method of the same client (an overload delegating to another, a subclass
 * calling {@code super}) is tracked once, at the outermost call. Enter advice calls
 * {@link #enter()} and does its work only when it returns 0; exit advice always calls
 * {@link #exit()}, also when the method threw.
 */
public final class CallDepth {
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** Increments the depth and returns its value before the call (0 = outermost). */
    public int enter() {
        return depth.get()[0]++;
    }

    /** Decrements the depth and returns the new value (0 = the outermost call is ending). */
    public int exit() {
        int[] d = depth.get();
        return d[0] > 0 ? --d[0] : 0;
    }
}
