package dev.nullspend.agent.instrumentation.vertx;

import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Attribution;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;

/**
 * The attribution in force where the program asked Vert.x for a request, handed to the request's Netty
 * channel once Vert.x has one for it: the codec-level handler admits and bills the request with it. Set
 * for every request, empty scopes too (as null), so a pooled connection never keeps another request's.
 */
public final class ChannelScope implements Handler<HttpClientRequest> {
    private static final AttributeKey<Object> ATTRIBUTION = AttributeKey.valueOf(EnqueuedAttribution.CHANNEL_ATTRIBUTE);
    private static final AttributeKey<Object> RAISES_DENIALS = AttributeKey.valueOf(EnqueuedAttribution.CHANNEL_RAISES_DENIALS);
    private final Attribution attribution;

    private ChannelScope(Attribution attribution) {
        this.attribution = attribution;
    }

    /** On the program's thread: the future's request, when it comes, carries the scope in force now. Never throws. */
    @SuppressWarnings("unchecked")
    public static void follow(Object future) {
        try {
            if (future instanceof Future) {
                Attribution current = Attribution.current();
                ((Future<HttpClientRequest>) future).onSuccess(new ChannelScope(current.isEmpty() ? null : current));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("vertx-scope:" + t.getClass().getName(),
                    "cannot follow a Vert.x request to its event loop; it is checked and billed without the program's"
                            + " attribution scope", t);
        }
    }

    @Override
    public void handle(HttpClientRequest request) {
        try {
            // The connection's class is internal (ConnectionBase in 4.x and 5.x); its public channel() is the API used.
            Object connection = request.connection();
            Object channel = connection.getClass().getMethod("channel").invoke(connection);
            if (channel instanceof Channel) {
                ((Channel) channel).attr(ATTRIBUTION).set(attribution);
                // Vert.x does not fail a request whose write failed: it hears of failures through exceptionCaught.
                ((Channel) channel).attr(RAISES_DENIALS).set(Boolean.TRUE);
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("vertx-channel:" + t.getClass().getName(),
                    "cannot hand a Vert.x request's attribution scope to its channel", t);
        }
    }
}
