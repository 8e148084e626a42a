package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One outbound request held back until the core has decided on it: its head, the body parts
 * written so far with their promises, and a copy of the body's first {@link Exchange#MAX_BODY_COPY}
 * bytes. Nothing is sent while held; then everything is forwarded (with the call's rewrite) or
 * failed (a denial). Event-loop only.
 */
public final class HeldRequest {
    private final HttpRequest head;
    private final URI uri;
    /** What a library hook left on the channel for this request: the program's attribution, or null. */
    private final Object carried;
    private final boolean decodedBeforeTheAgent;
    private final List<Object> messages = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean truncated;
    private boolean complete;
    /** A write was taken as written before the decision: a denial must then be raised on the pipeline. */
    private boolean acknowledged;

    public HeldRequest(HttpRequest head, URI uri, Object carried, boolean decodedBeforeTheAgent) {
        this.head = head;
        this.uri = uri;
        this.carried = carried;
        this.decodedBeforeTheAgent = decodedBeforeTheAgent;
    }

    /** The response reaches the agent decoded by a decompressor before it (see {@link NettyHeaders}). */
    public boolean decodedBeforeTheAgent() {
        return decodedBeforeTheAgent;
    }

    public HttpRequest head() {
        return head;
    }

    public URI uri() {
        return uri;
    }

    public Object carried() {
        return carried;
    }

    /**
     * Holds {@code msg} (the head, a body part, or a full request) and copies its body bytes. A request written in
     * parts has each write but the last taken as written at once, on a promise of its own: a writer may wait for one
     * write before the next (Reactor Netty waits for the head before it subscribes to a streamed body and ends that
     * body once every part is written; the AWS SDK's Netty client writes a part once the one before is done), and
     * would otherwise never end the request. The last write (a full request's only one) stays pending until the
     * decision, so the library still learns the request's fate.
     */
    public void add(Object msg, ChannelPromise promise) {
        messages.add(msg);
        if (msg instanceof HttpContent) {
            copy(((HttpContent) msg).content());
            complete = msg instanceof LastHttpContent;
        }
        if (msg instanceof LastHttpContent || truncated || promise.isVoid()) {
            promises.add(promise);
            return;
        }
        promises.add(promise.channel().newPromise());
        acknowledged = true;
        promise.trySuccess(); // last: its listener may write the next part (back into this handler) at once
    }

    /** The whole body is held, or more than the core reads of it: time to decide. */
    public boolean readyToDecide() {
        return complete || truncated;
    }

    public boolean complete() {
        return complete;
    }

    /** The program was told a write of this request was done: its failure alone would not tell it of a denial. */
    public boolean acknowledged() {
        return acknowledged;
    }

    /** The body bytes held (all of them unless {@link #truncated()}). */
    public byte[] body() {
        return body.toByteArray();
    }

    public boolean truncated() {
        return truncated;
    }

    /** The body length the head declares, or -1. */
    public long declaredLength() {
        return HttpUtil.getContentLength(head, -1L);
    }

    private void copy(ByteBuf content) {
        int room = Exchange.MAX_BODY_COPY - body.size();
        int n = content.readableBytes();
        if (n > room) {
            truncated = true;
            n = room;
        }
        if (n > 0) {
            byte[] bytes = new byte[n];
            content.getBytes(content.readerIndex(), bytes);
            body.write(bytes, 0, n);
        }
    }

    /**
     * Sends what is held, with {@code rewrite}'s headers added and, when it replaces the body and the
     * whole body is held, its body instead of the program's (Content-Length set to match).
     */
    public void forward(ChannelHandlerContext ctx, RequestRewrite rewrite) {
        if (rewrite != null) {
            for (int i = 0; i < rewrite.headerCount(); i++) {
                head.headers().add(rewrite.headerName(i), rewrite.headerValue(i));
            }
        }
        if (rewrite == null || !rewrite.replacesBody() || !complete) {
            for (int i = 0; i < messages.size(); i++) {
                ctx.write(messages.get(i), promises.get(i));
            }
            return;
        }
        byte[] replacement = rewrite.body();
        boolean lengthSet = HttpUtil.isContentLengthSet(head);
        if (messages.get(0) instanceof FullHttpRequest) {
            FullHttpRequest full = (FullHttpRequest) messages.get(0);
            // Built here, not with full.replace(): a library's own FullHttpRequest may not honour it (Vert.x 5's keeps its body).
            FullHttpRequest copy = new DefaultFullHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                    Unpooled.wrappedBuffer(replacement), full.headers(), full.trailingHeaders());
            setLength(copy, lengthSet, replacement.length);
            full.release();
            ctx.write(copy, promises.get(0));
            return;
        }
        setLength(head, lengthSet, replacement.length);
        HttpRequest headOnly = head;
        if (head instanceof HttpContent) { // a head that carries the first body part (Vert.x): the new body replaces it
            headOnly = new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers());
            ReferenceCountUtil.release(head);
        }
        ctx.write(headOnly, promises.get(0));
        LastHttpContent last = (LastHttpContent) messages.get(messages.size() - 1);
        DefaultLastHttpContent content = new DefaultLastHttpContent(Unpooled.wrappedBuffer(replacement));
        content.trailingHeaders().set(last.trailingHeaders());
        List<ChannelPromise> bodyPromises = promises.subList(1, promises.size());
        ChannelPromise written = ctx.newPromise();
        written.addListener(new PromiseNotifier<Void, ChannelFuture>(false,
                bodyPromises.toArray(new ChannelPromise[0])));
        for (int i = 1; i < messages.size(); i++) {
            ReferenceCountUtil.release(messages.get(i));
        }
        ctx.write(content, written);
    }

    private static void setLength(HttpRequest request, boolean lengthSet, int length) {
        if (lengthSet || !HttpUtil.isTransferEncodingChunked(request)) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
    }

    /** Releases what is held and fails every write with {@code failure}: nothing was sent. */
    public void fail(ChannelHandlerContext ctx, Throwable failure) {
        boolean told = false;
        for (int i = 0; i < messages.size(); i++) {
            ReferenceCountUtil.release(messages.get(i));
            ChannelPromise promise = promises.get(i);
            if (promise.isVoid()) {
                if (!told) {
                    told = true;
                    ctx.fireExceptionCaught(failure); // a void promise tells no one: the pipeline must hear it
                }
            } else {
                promise.tryFailure(failure);
            }
        }
        messages.clear();
        promises.clear();
    }
}
