package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.log.AgentLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;

import java.util.Map;

/**
 * What the pipeline advice calls for every handler added: a handler after which a client pipeline
 * carries Netty {@code HttpObject}s gets a {@link NettyLlmHandler} right after it (one per pipeline):
 * {@code HttpClientCodec} on an HTTP/1.1 connection, and on each HTTP/2 stream channel the converter
 * between HTTP/2 frames and {@code HttpObject}s (Netty's {@code Http2StreamFrameToHttpObjectCodec},
 * which Reactor Netty uses; the AWS SDK's own outbound adapter, added after its inbound one). An HTTP/2
 * client connection whose streams are not such channels (not an {@code Http2FrameCodec}: Vert.x's own
 * handler) is said once not to be costed. Never throws.
 */
public final class NettyPipelines {
    /** The handler's name in the pipeline (no library prefix, so no library mistakes it for its own). */
    public static final String NAME = "nullspend.llm";
    private static final String H2_HANDLER = "io.netty.handler.codec.http2.Http2ConnectionHandler";
    private static final String H2_FRAME_CODEC = "io.netty.handler.codec.http2.Http2FrameCodec";
    /** Stream-channel converters from HTTP/2 frames to {@code HttpObject}s, the later one where a library adds two. */
    private static final String[] STREAM_CODECS = {
        "io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec",
        "software.amazon.awssdk.http.nio.netty.internal.http2.HttpToHttp2OutboundAdapter",
    };

    private NettyPipelines() {
    }

    public static void added(Object pipeline, Object handler) {
        try {
            if (handler instanceof HttpClientCodec
                    || (handler != null && isStreamCodec(handler) && onClientStream((ChannelPipeline) pipeline))) {
                insertAfter((ChannelPipeline) pipeline, (ChannelHandler) handler);
            } else if (handler != null && !isA(handler, H2_FRAME_CODEC) && isHttp2Client(handler)) {
                AgentLog.warnOnce("netty-h2", "a Netty HTTP/2 client connection (" + handler.getClass().getName()
                        + "): LLM calls over it pass untouched but are neither costed nor checked; HTTP/2 is costed"
                        + " only where each stream is a channel of its own (Reactor Netty, the AWS SDK)");
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

    private static boolean isStreamCodec(Object handler) {
        for (String name : STREAM_CODECS) {
            if (isA(handler, name)) {
                return true;
            }
        }
        return false;
    }

    /** The pipeline is an HTTP/2 stream channel's whose connection is a client's (a server's streams are not ours). */
    private static boolean onClientStream(ChannelPipeline pipeline) throws ReflectiveOperationException {
        Channel parent = pipeline.channel().parent();
        if (parent == null) {
            return false;
        }
        for (Map.Entry<String, ChannelHandler> entry : parent.pipeline()) {
            if (isHttp2Client(entry.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isA(Object handler, String className) {
        for (Class<?> c = handler.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
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
