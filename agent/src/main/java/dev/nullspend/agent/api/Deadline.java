package dev.nullspend.agent.api;

/**
 * How long an API call may still take, re-read while the call waits: a deadline can move closer
 * while a call is under way (the agent's shutdown drain sets one), and the call then gives up.
 */
@FunctionalInterface
public interface Deadline {

    /** No deadline: only the client's own timeouts apply. */
    Deadline NONE = () -> Long.MAX_VALUE;

    /** Nanoseconds left; zero or less once the deadline has passed. */
    long remainingNanos();
}
