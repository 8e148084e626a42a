package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.log.AgentLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * What the pipeline advice calls for every handler added: an {@code HttpClientCodec} gets a
 * {@link NettyLlmHandler} right after it (one per pipeline); an HTTP/2 client connection handler is
 * said once not to be costed. Never throws.
 */
public final class NettyPipelines {
    /** The handler's name in the pipeline (no library prefix, so no library mistakes it for its own). */
    public static final String NAME = "nullspend.llm";
    private static final String H2_HANDLER = "io.netty.handler.codec.http2.Http2ConnectionHandler";

    private NettyPipelines() {
    }

    public static void added(Object pipeline, Object handler) {
        try {
            if (handler instanceof HttpClientCodec) {
                insertAfter((ChannelPipeline) pipeline, (ChannelHandler) handler);
            } else if (handler != null && isHttp2Client(handler)) {
                AgentLog.warnOnce("netty-h2", "a Netty HTTP/2 client connection (" + handler.getClass().getName()
                        + "): LLM calls over HTTP/2 through Netty pass untouched but are neither costed nor checked;"
                        + " only HTTP/1.1 is");
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("netty-pipeline:" + t.getClass().getName(),
                    "cannot watch a Netty HTTP client pipeline; its calls go on untracked", t);
        }
    }

    private static void insertAfter(ChannelPipeline pipeline, ChannelHandler codec) {
        if (pipeline.get(NettyLlmHandler.class) != null) {
            return;
        }
        ChannelHandlerContext ctx = pipeline.context(codec);
        if (ctx == null) {
            return;
        }
        try {
            pipeline.addAfter(ctx.name(), NAME, new NettyLlmHandler());
        } catch (IllegalArgumentException duplicateName) {
            AgentLog.debug("a Netty pipeline already holds a handler named " + NAME);
        }
    }

    /** An {@code Http2ConnectionHandler} (Netty's frame codec, Vert.x's own) of a client connection. */
    private static boolean isHttp2Client(Object handler) throws ReflectiveOperationException {
        for (Class<?> c = handler.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(H2_HANDLER)) {
                Object connection = c.getMethod("connection").invoke(handler);
                return !(Boolean) connection.getClass().getMethod("isServer").invoke(connection);
            }
        }
        return false;
    }
}
