package dev.nullspend.agent.instrumentation.reactornetty;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.agent.log.AgentLog;
import io.netty.util.AttributeKey;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Carries the program's attribution scope from the thread that subscribes to a Reactor Netty call to the
 * channel the request is written on: as {@code mapConnect} it adds {@link ContextScope} to the connect
 * publisher; as {@code doOnRequest} (the request is prepared, not yet written, on the event loop) it
 * copies the scope from the request's context to the channel attribute the codec-level handler reads,
 * or clears it (a pooled connection must not keep a previous request's scope).
 */
public final class ScopeCarrier implements Function<Mono<? extends Connection>, Mono<? extends Connection>>,
        BiConsumer<HttpClientRequest, Connection> {
    private static final ScopeCarrier INSTANCE = new ScopeCarrier();
    private static final AttributeKey<Object> ATTRIBUTION = AttributeKey.valueOf(EnqueuedAttribution.CHANNEL_ATTRIBUTE);
    /** {@code create()} calls {@code create(ConnectionProvider)}: only the outermost adds the carrier. */
    private static final CallDepth DEPTH = new CallDepth();

    private ScopeCarrier() {
    }

    public static void enter() {
        DEPTH.enter();
    }

    /** {@code client} with the carrier when this is the outermost create; else as it is. Never throws. */
    public static Object exit(Object client) {
        if (DEPTH.exit() != 0 || !(client instanceof HttpClient)) {
            return client;
        }
        try {
            return ((HttpClient) client).mapConnect(INSTANCE).doOnRequest(INSTANCE);
        } catch (Throwable t) {
            AgentLog.warnOnce("reactor-netty-carrier:" + t.getClass().getName(),
                    "cannot follow a Reactor Netty client's calls to its event loop; they are checked and billed"
                            + " without the program's attribution scope", t);
            return client;
        }
    }

    @Override
    public Mono<? extends Connection> apply(Mono<? extends Connection> connect) {
        return connect.contextWrite(ContextScope.INSTANCE);
    }

    @Override
    public void accept(HttpClientRequest request, Connection connection) {
        try {
            Object scope = request.currentContextView().getOrDefault(EnqueuedAttribution.CHANNEL_ATTRIBUTE, null);
            connection.channel().attr(ATTRIBUTION).set(scope);
        } catch (Throwable t) {
            AgentLog.warnOnce("reactor-netty-scope:" + t.getClass().getName(),
                    "cannot hand a Reactor Netty call's attribution scope to its channel", t);
        }
    }
}
