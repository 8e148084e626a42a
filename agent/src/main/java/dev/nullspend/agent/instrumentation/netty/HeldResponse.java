package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A NullSpend proxy response that may be a denial, held back from the program until its body (at
 * most {@link ProxyDenials#MAX_BODY} bytes) decides: a denial is raised in the pipeline as the
 * typed exception (the library fails the call with it) and the connection is closed; anything else
 * goes on to the program as it came. Event-loop only.
 */
public final class HeldResponse {
    private final LlmCall call;
    private final HttpResponse head;
    private final List<Object> messages = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public HeldResponse(LlmCall call, HttpResponse head) {
        this.call = call;
        this.head = head;
    }

    /**
     * Holds {@code msg}; returns true while the response stays held, false once it was handed on
     * (too long for a denial, or no denial) or raised as a denial.
     */
    public boolean add(ChannelHandlerContext ctx, Object msg) {
        messages.add(msg);
        if (msg instanceof HttpContent) {
            ByteBuf content = ((HttpContent) msg).content();
            int n = Math.min(content.readableBytes(), ProxyDenials.MAX_BODY + 1 - body.size());
            if (n > 0) {
                byte[] bytes = new byte[n];
                content.getBytes(content.readerIndex(), bytes);
                body.write(bytes, 0, n);
            }
        }
        if (body.size() > ProxyDenials.MAX_BODY) {
            pass(ctx);
            return false;
        }
        if (!(msg instanceof LastHttpContent)) {
            return true;
        }
        NullSpendException denial = call.denial(head.status().code(), new NettyHeaders(head.headers()), body.toByteArray());
        if (denial == null) {
            pass(ctx);
            return false;
        }
        for (Object held : messages) {
            ReferenceCountUtil.release(held);
        }
        messages.clear();
        ctx.fireExceptionCaught(denial);
        ctx.close();
        return false;
    }

    /** Hands everything held on to the program. */
    public void pass(ChannelHandlerContext ctx) {
        for (Object held : messages) {
            ctx.fireChannelRead(held);
        }
        messages.clear();
    }

    /** The connection closed while held: the held messages are dropped. */
    public void release() {
        for (Object held : messages) {
            ReferenceCountUtil.release(held);
        }
        messages.clear();
    }
}
