package dev.nullspend.agent.instrumentation.reactornetty;

import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.api.Attribution;
import reactor.util.context.Context;

import java.util.function.Function;

/**
 * {@code contextWrite} on the connect publisher: runs where the program subscribes, which is where its
 * attribution scope is open, and puts that scope into the Reactor context of the call.
 */
public final class ContextScope implements Function<Context, Context> {
    static final ContextScope INSTANCE = new ContextScope();

    private ContextScope() {
    }

    @Override
    public Context apply(Context context) {
        Attribution current = Attribution.current();
        return current.isEmpty() ? context : context.put(EnqueuedAttribution.CHANNEL_ATTRIBUTE, current);
    }
}
