package dev.nullspend.agent.core;

import dev.nullspend.api.Attribution;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The attribution in force where a program enqueued an async call, for the client thread that
 * later runs it. {@link Attribution} scopes are thread-local, so a call that a client begins on its
 * own thread (OkHttp's {@code enqueue()} runs the interceptors on its dispatcher) would otherwise
 * escape the session, customer and tag limits of the scope the program opened around it, its
 * event would lose that attribution, and a call to a NullSpend proxy would lose the action id.
 *
 * <p>Calls are held weakly: one that is cancelled before it runs is forgotten with it. Programs
 * that open no scope cost one thread-local read per enqueued call.
 */
public final class EnqueuedAttribution {
    /**
     * The name of the Netty channel attribute where a library hook (Reactor Netty, Vert.x) leaves the
     * attribution of the program's scope for the request it is about to write; the codec-level handler
     * takes it from there on the event loop. A name, not a key: each Netty copy has its own keys.
     */
    public static final String CHANNEL_ATTRIBUTE = "dev.nullspend.attribution";
    /**
     * The name of the Netty channel attribute by which a library hook says that the library fails a call only
     * through {@code exceptionCaught}, not through a failed write promise (Vert.x): the codec-level handler
     * then raises a denial there too, and closes the connection.
     */
    public static final String CHANNEL_RAISES_DENIALS = "dev.nullspend.raise-denials";

    private static final Map<Object, Attribution> BY_CALL = Collections.synchronizedMap(new WeakHashMap<>());

    private EnqueuedAttribution() {
    }

    /** On the enqueuing thread: remembers the attribution in force, if any, for {@code call}. */
    public static void remember(Object call) {
        Attribution current = Attribution.current();
        if (!current.isEmpty()) {
            BY_CALL.put(call, current);
        }
    }

    /** On the thread that runs {@code call}, for a call that needs no attribution: drops what was remembered for it. */
    public static void forget(Object call) {
        BY_CALL.remove(call);
    }

    /**
     * On the thread that runs {@code call}: puts the attribution remembered for it in force (once),
     * or returns {@code null} when there is none. Close the scope when the call has begun.
     */
    public static Attribution.Scope resume(Object call) {
        Attribution a = BY_CALL.remove(call);
        if (a == null) {
            return null;
        }
        return a.open(); // the scope itself, not a copy of its fields: none can be left behind
    }
}
