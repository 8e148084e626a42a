package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpendException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentDecoder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The agent on one Netty HTTP/1.1 client connection, right after its {@code HttpClientCodec}, or on
 * one HTTP/2 stream channel, right after the converter that makes its frames {@code HttpObject}s (see
 * {@link NettyPipelines}; a helper in Netty's class loader; one instance per pipeline, state only
 * touched on the channel's event loop). A stream channel carries one request and its response; it
 * closing before the response's end (a reset stream, a lost connection) bills the call as cut short.
 *
 * <p><b>Requests.</b> A full request is decided at once. A request written in parts that may be an
 * LLM call ({@link LlmCalls#mayTrack}: a POST to a path a provider API wants) is held — head, body
 * parts and flushes — until its last part, or until more than {@link Exchange#MAX_BODY_COPY} bytes
 * came; then {@link LlmCalls#begin} reads its body. A denial releases what is held and fails every
 * held write's promise with the typed exception: nothing reached the socket, and the library fails the
 * call with it (a library that hears of failures only through {@code exceptionCaught}, as a hook marks on
 * the channel, gets it there too, and the connection is closed). An admitted call is forwarded with its rewrite (headers, the body with
 * {@code include_usage}, Content-Length set to match). The attribution of the program's scope comes
 * from the channel attribute a library hook set for this request.
 *
 * <p><b>Responses.</b> Calls wait in request order (a pipelining client has several in flight). Each
 * response part is shown to the call's sink before it goes on, and with the call's
 * {@link ResponseFilter} the program gets the filtered bytes instead. The last part completes the
 * call; a part the decoder failed on (the connection closed mid-body) or the channel closing before
 * the end bills it as cut short (cancelled, {@code take(n)}, {@code dispose()}). Content-encoding is
 * the core's business: a decompressor before this handler leaves no encoding on the response (and the
 * request's {@code Accept-Encoding} is then hidden from the core, which would otherwise not ask a stream
 * for its usage: the agent and the program read it decoded), one after it (Vert.x) leaves the header,
 * and the parser decodes.
 */
public final class NettyLlmHandler extends ChannelDuplexHandler {
    private static final Object NOT_TRACKED = new Object();
    private static final AttributeKey<Object> ATTRIBUTION = AttributeKey.valueOf(EnqueuedAttribution.CHANNEL_ATTRIBUTE);
    private static final AttributeKey<Object> RAISES_DENIALS = AttributeKey.valueOf(EnqueuedAttribution.CHANNEL_RAISES_DENIALS);

    /** The request being held, or null. */
    private HeldRequest held;
    private boolean flushHeld;
    /** The rest of a denied request's body is failed too. */
    private NullSpendException denied;
    /** One entry per request sent and not yet answered: its call, or {@link #NOT_TRACKED}. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** The call whose response is being read, its sink and filter. */
    private LlmCall responding;
    private ResponseSink sink;
    private ResponseFilter filter;
    private HeldResponse heldResponse;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof HttpObject)) {
            if (!(msg instanceof ByteBuf) || (held == null && denied == null)) {
                ctx.write(msg, promise);
                return;
            }
            // Reactor Netty writes a streamed body as bare buffers: while its request is held (or denied) they are its parts.
            msg = new DefaultHttpContent((ByteBuf) msg);
        }
        if (msg instanceof HttpRequest) {
            denied = null;
            if (!startRequest(ctx, (HttpRequest) msg, promise)) {
                return;
            }
        } else if (held != null) {
            held.add(msg, promise);
        } else if (denied != null) {
            ReferenceCountUtil.release(msg);
            fail(ctx, promise, denied);
            return;
        } else {
            ctx.write(msg, promise);
            return;
        }
        if (held != null && held.readyToDecide()) {
            decide(ctx);
        }
    }

    /** A new request: held when it may be an LLM call; false when it was already written on. */
    private boolean startRequest(ChannelHandlerContext ctx, HttpRequest request, ChannelPromise promise) {
        // Taken for every request (a pooled channel keeps no other request's scope); read first: attr() makes the attribute.
        Object carried = ctx.channel().hasAttr(ATTRIBUTION) ? ctx.channel().attr(ATTRIBUTION).getAndSet(null) : null;
        if (!mayTrack(request)) {
            waiting.add(NOT_TRACKED); // nothing made for a call that is surely no LLM call
            ctx.write(request, promise);
            return false;
        }
        URI uri = uri(ctx, request);
        boolean full = request instanceof FullHttpRequest;
        if (uri == null || (!full && (isExpectContinue(request)
                || !LlmCalls.mayTrack(request.method().name(), uri, new NettyHeaders(request.headers()))))) {
            waiting.add(NOT_TRACKED);
            ctx.write(request, promise);
            return false;
        }
        held = new HeldRequest(request, uri, carried, decodedBefore(ctx));
        held.add(request, promise);
        return true;
    }

    /**
     * False for a request {@link LlmCalls#begin} would surely leave alone ({@link LlmCalls#isCandidate}),
     * from the request line and the {@code Host} header of an origin-form target.
     */
    private static boolean mayTrack(HttpRequest request) {
        String target = request.uri();
        String host = target.startsWith("/") ? request.headers().get(HttpHeaderNames.HOST) : null;
        return LlmCalls.isCandidate(request.method().name(), host, target);
    }

    /** The whole body is held (or more than the core reads): begin the call, then send or deny. */
    private void decide(ChannelHandlerContext ctx) {
        HeldRequest request = held;
        held = null;
        LlmCall call;
        try {
            call = begin(request);
        } catch (NullSpendException denial) {
            request.fail(ctx, denial);
            if (!request.complete()) {
                denied = denial;
            }
            flushHeld = false;
            if (ctx.channel().attr(RAISES_DENIALS).get() != null || request.acknowledged()) {
                ctx.fireExceptionCaught(denial);
                ctx.close();
            }
            return;
        }
        waiting.add(call == null ? NOT_TRACKED : call);
        try {
            request.forward(ctx, call == null ? null : call.rewrite());
        } catch (Throwable t) {
            AgentLog.warnOnce("netty-forward:" + t.getClass().getName(),
                    "cannot send a Netty request as the agent rewrote it", t);
            throw t;
        }
        if (flushHeld) {
            flushHeld = false;
            ctx.flush();
        }
    }

    /** The call to track, or null; a denial propagates. The program's scope is in force while it is admitted. */
    private static LlmCall begin(HeldRequest request) {
        Attribution.Scope scope = request.carried() instanceof Attribution ? ((Attribution) request.carried()).open() : null;
        try {
            byte[] body = request.body();
            return LlmCalls.begin(new Exchange(request.head().method().name(), request.uri(),
                    new NettyHeaders(request.head().headers(), request.decodedBeforeTheAgent()), body,
                    request.truncated() ? request.declaredLength() : body.length));
        } catch (NullSpendException denial) {
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("netty-begin:" + t.getClass().getName(),
                    "cannot inspect a Netty request; it goes on untracked", t);
            return null;
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        if (held != null) {
            flushHeld = true; // nothing of the held request may leave yet
            return;
        }
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (heldResponse != null) {
            if (!heldResponse.add(ctx, msg)) {
                heldResponse = null;
                endResponse();
            }
            readMore(ctx);
            return;
        }
        if (!(msg instanceof HttpObject) || (responding == null && !(msg instanceof HttpResponse))) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpResponse) {
            HttpResponse response = (HttpResponse) msg;
            int status = response.status().code();
            if (status >= 100 && status < 200 && status != 101) {
                ctx.fireChannelRead(msg); // an interim answer: the real one follows
                return;
            }
            Object next = waiting.poll();
            if (!(next instanceof LlmCall)) {
                ctx.fireChannelRead(msg);
                return;
            }
            LlmCall call = (LlmCall) next;
            NettyHeaders headers = new NettyHeaders(response.headers());
            if (call.mayBeDenial(status, headers)) {
                responding = call;
                heldResponse = new HeldResponse(call, response);
                if (!heldResponse.add(ctx, msg)) {
                    heldResponse = null;
                    endResponse();
                }
                readMore(ctx);
                return;
            }
            sink = call.onResponse(status, headers);
            if (sink == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            responding = call;
            filter = call.responseFilter();
            if (!(msg instanceof HttpContent)) {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        content(ctx, (HttpContent) msg);
    }

    /** A body part of the call being read: to the sink, then (filtered) to the program. */
    private void content(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        Throwable failure = content.decoderResult().isFailure() ? content.decoderResult().cause() : null;
        ResponseSink s = sink;
        ResponseFilter f = filter;
        ByteBuf bytes = content.content();
        HttpContent passing = content;
        if (bytes.isReadable()) {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.getBytes(bytes.readerIndex(), copy);
            s.onBytes(copy, 0, copy.length);
            if (f != null) {
                passing = filtered(content, f.filter(ByteBuffer.wrap(copy)), last ? f.finish() : null);
            }
        } else if (last && f != null) {
            passing = filtered(content, ByteBuffer.allocate(0), f.finish());
        }
        if (failure != null) {
            s.onError(failure);
            endResponse();
        } else if (last) {
            s.onComplete();
            endResponse();
        }
        if (passing == null) {
            readMore(ctx); // the filter held all of it back: the program asked for data, not for nothing
            return;
        }
        ctx.fireChannelRead(passing);
    }

    /**
     * {@code content} with its bytes replaced by {@code passed} (then {@code rest}), or null when nothing
     * is left to pass and it is not the last part. The original is released.
     */
    private static HttpContent filtered(HttpContent content, ByteBuffer passed, ByteBuffer rest) {
        boolean last = content instanceof LastHttpContent;
        int length = passed.remaining() + (rest == null ? 0 : rest.remaining());
        if (length == 0 && !last) {
            content.release();
            return null;
        }
        ByteBuf bytes = rest == null || !rest.hasRemaining() ? Unpooled.wrappedBuffer(passed)
                : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(passed), Unpooled.wrappedBuffer(rest));
        HttpContent replaced;
        if (content instanceof FullHttpResponse) {
            FullHttpResponse full = (FullHttpResponse) content;
            replaced = new DefaultFullHttpResponse(full.protocolVersion(), full.status(), bytes, full.headers(),
                    full.trailingHeaders());
        } else if (last) {
            DefaultLastHttpContent lastContent = new DefaultLastHttpContent(bytes);
            lastContent.trailingHeaders().set(((LastHttpContent) content).trailingHeaders());
            replaced = lastContent;
        } else {
            replaced = new DefaultHttpContent(bytes);
        }
        replaced.setDecoderResult(content.decoderResult());
        content.release();
        return replaced;
    }

    private void endResponse() {
        responding = null;
        sink = null;
        filter = null;
    }

    /** Without auto-read a swallowed read must ask for the next one itself. */
    private static void readMore(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closed(ctx);
    }

    /** The connection is gone: the call being read was cut short, the calls still waiting got no answer. */
    private void closed(ChannelHandlerContext ctx) {
        if (held != null) {
            held.fail(ctx, new ClosedChannelException());
            held = null;
        }
        if (heldResponse != null) {
            heldResponse.release();
            heldResponse = null;
        }
        if (responding != null) {
            if (sink != null) {
                sink.onCancel();
            } else {
                responding.onFailure(new ClosedChannelException());
            }
            endResponse();
        }
        for (Object call; (call = waiting.poll()) != null; ) {
            if (call instanceof LlmCall) {
                ((LlmCall) call).onFailure(new ClosedChannelException());
            }
        }
    }

    private static void fail(ChannelHandlerContext ctx, ChannelPromise promise, Throwable failure) {
        if (promise.isVoid()) {
            ctx.fireExceptionCaught(failure);
        } else {
            promise.tryFailure(failure);
        }
    }

    /** A decompressor sits between the codec and this handler (Reactor Netty's {@code compress(true)}). */
    private static boolean decodedBefore(ChannelHandlerContext ctx) {
        for (Map.Entry<String, ChannelHandler> entry : ctx.pipeline()) {
            if (entry.getValue() == ctx.handler()) {
                return false;
            }
            if (entry.getValue() instanceof HttpContentDecoder) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExpectContinue(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
    }

    /** TLS on the channel's pipeline, or on its connection's when it is an HTTP/2 stream channel. */
    private static boolean overTls(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            if (c.pipeline().get(SslHandler.class) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The request's absolute URI: as written (a proxy's absolute form), or scheme (TLS on the pipeline),
     * {@code Host} (else the peer's address) and the path; null when it cannot be made one.
     */
    private static URI uri(ChannelHandlerContext ctx, HttpRequest request) {
        try {
            String target = request.uri();
            if (!target.startsWith("/")) {
                return URI.create(target);
            }
            String scheme = overTls(ctx.channel()) ? "https" : "http";
            String host = request.headers().get(HttpHeaderNames.HOST);
            if (host == null) {
                SocketAddress peer = ctx.channel().remoteAddress();
                if (!(peer instanceof InetSocketAddress)) {
                    return null;
                }
                InetSocketAddress address = (InetSocketAddress) peer;
                host = address.getHostString() + ":" + address.getPort();
            }
            return URI.create(scheme + "://" + host + target);
        } catch (RuntimeException e) {
            AgentLog.warnOnce("netty-uri:" + e.getClass().getName(),
                    "cannot read a Netty request's target; it goes on untracked", e);
            return null;
        }
    }
}
