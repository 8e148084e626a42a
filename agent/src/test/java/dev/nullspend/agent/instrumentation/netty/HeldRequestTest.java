package dev.nullspend.agent.instrumentation.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpendException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a held Netty request becomes: forwarded with the call's rewrite (body, Content-Length, headers), or failed. */
class HeldRequestTest {

    private static final URI CHAT = URI.create("http://127.0.0.1/v1/chat/completions");
    private static final byte[] BODY = "{\"model\":\"gpt-4o\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REWRITTEN = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final RequestRewrite REWRITE = RequestRewrite.of(List.of("x-added"), List.of("1"), REWRITTEN);

    /** An EmbeddedChannel and the context of a handler in it, through which held messages are written. */
    private static final class Pipe extends ChannelOutboundHandlerAdapter {
        final EmbeddedChannel channel = new EmbeddedChannel();
        ChannelHandlerContext ctx;

        Pipe() {
            channel.pipeline().addLast(this);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    /** A full request held on a pipe, added with its write's promise. */
    private record HeldFull(Pipe pipe, FullHttpRequest original, HeldRequest held, ChannelPromise promise) {
        static HeldFull of(byte[] body) {
            Pipe pipe = new Pipe();
            FullHttpRequest original = full(body);
            HeldRequest held = new HeldRequest(original, CHAT, null, false);
            ChannelPromise promise = pipe.channel.newPromise();
            held.add(original, promise);
            return new HeldFull(pipe, original, held, promise);
        }
    }

    @Test
    void aFullRequestIsSentWithTheNewBodyItsLengthAndTheHeadersAndTheOriginalIsReleased() {
        HeldFull f = HeldFull.of(BODY);

        f.held().forward(f.pipe().ctx, REWRITE);
        f.pipe().ctx.flush();

        FullHttpRequest sent = f.pipe().channel.readOutbound();
        assertThat(bytes(sent.content())).isEqualTo(REWRITTEN);
        assertThat(sent.headers().getInt("content-length")).isEqualTo(REWRITTEN.length);
        assertThat(sent.headers().get("x-added")).isEqualTo("1");
        assertThat(f.original().refCnt()).isZero();
        assertThat(f.promise().isSuccess()).isTrue();
        assertThat(f.held().body()).isEqualTo(BODY);
        sent.release();
    }

    /** A library's FullHttpRequest whose replace() keeps its own body (Vert.x 5's does) still sends the new body. */
    @Test
    void aFullRequestWhoseReplaceKeepsItsBodyStillSendsTheNewOne() {
        Pipe pipe = new Pipe();
        FullHttpRequest original = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions",
                Unpooled.wrappedBuffer(BODY)) {
            @Override
            public FullHttpRequest replace(ByteBuf content) {
                return this;
            }
        };
        original.headers().set("content-length", BODY.length);
        HeldRequest held = new HeldRequest(original, CHAT, null, false);
        held.add(original, pipe.channel.newPromise());

        held.forward(pipe.ctx, REWRITE);
        pipe.ctx.flush();

        FullHttpRequest sent = pipe.channel.readOutbound();
        assertThat(bytes(sent.content())).isEqualTo(REWRITTEN);
        assertThat(sent.headers().getInt("content-length")).isEqualTo(REWRITTEN.length);
        sent.release();
    }

    /** Head (carrying a first part, as Vert.x's does), a part and the last part: a bare head, then one last part with the new body. */
    @Test
    void aRequestInPartsIsSentAsItsHeadAndOneLastPartWithTheNewBody() {
        Pipe pipe = new Pipe();
        HttpRequest head = new HeadWithContent(Unpooled.wrappedBuffer(BODY, 0, 10));
        head.headers().set("content-length", BODY.length);
        HttpContent middle = new DefaultHttpContent(Unpooled.wrappedBuffer(BODY, 10, BODY.length - 20));
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.wrappedBuffer(BODY, BODY.length - 10, 10));
        HeldRequest held = new HeldRequest(head, CHAT, null, true);
        ChannelPromise[] promises = {pipe.channel.newPromise(), pipe.channel.newPromise(), pipe.channel.newPromise()};
        held.add(head, promises[0]);
        held.add(middle, promises[1]);
        assertThat(held.readyToDecide()).isFalse();
        held.add(last, promises[2]);
        assertThat(held.readyToDecide()).isTrue();
        assertThat(held.body()).isEqualTo(BODY);
        assertThat(held.decodedBeforeTheAgent()).isTrue();

        held.forward(pipe.ctx, REWRITE);
        pipe.ctx.flush();

        HttpRequest sentHead = pipe.channel.readOutbound();
        assertThat(sentHead).isNotInstanceOf(HttpContent.class);
        assertThat(sentHead.headers().getInt("content-length")).isEqualTo(REWRITTEN.length);
        assertThat(sentHead.headers().get("x-added")).isEqualTo("1");
        LastHttpContent sentBody = pipe.channel.readOutbound();
        assertThat(bytes(sentBody.content())).isEqualTo(REWRITTEN);
        assertThat((Object) pipe.channel.readOutbound()).isNull();
        assertThat(middle.refCnt()).isZero();
        assertThat(last.refCnt()).isZero();
        assertThat(promises).allMatch(ChannelPromise::isSuccess);
        sentBody.release();
    }

    /**
     * The head and a part before the last are taken as written while held: Reactor Netty (Spring's {@code RestClient}
     * on {@code ReactorClientHttpRequestFactory}) subscribes to a streamed body once the head is written and writes the
     * last part once every part before it is, so a write held pending holds the request for ever. The last write waits
     * for the decision.
     */
    @Test
    void writesBeforeTheLastAreTakenAsWrittenSoThatAWriterWaitingForThemEndsTheRequest() {
        Pipe pipe = new Pipe();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        head.headers().set("transfer-encoding", "chunked");
        HeldRequest held = new HeldRequest(head, CHAT, null, false);
        ChannelPromise[] promises = {pipe.channel.newPromise(), pipe.channel.newPromise(), pipe.channel.newPromise()};
        held.add(head, promises[0]);
        held.add(new DefaultHttpContent(Unpooled.wrappedBuffer(BODY)), promises[1]);

        assertThat(promises[0].isSuccess()).isTrue();
        assertThat(promises[1].isSuccess()).isTrue();
        assertThat(held.acknowledged()).isTrue();
        assertThat(held.readyToDecide()).isFalse();
        assertThat((Object) pipe.channel.readOutbound()).isNull();

        held.add(LastHttpContent.EMPTY_LAST_CONTENT, promises[2]);
        assertThat(promises[2].isDone()).isFalse();
        held.forward(pipe.ctx, REWRITE);
        pipe.ctx.flush();

        HttpRequest sentHead = pipe.channel.readOutbound();
        assertThat(sentHead.headers().get("x-added")).isEqualTo("1");
        LastHttpContent sentBody = pipe.channel.readOutbound();
        assertThat(bytes(sentBody.content())).isEqualTo(REWRITTEN);
        assertThat(promises).allMatch(ChannelPromise::isSuccess);
        sentBody.release();
    }

    /** A full request is one write: it fails with the denial, and nothing was taken as written. */
    @Test
    void aDeniedFullRequestFailsItsWriteWithTheDenial() {
        HeldFull f = HeldFull.of(BODY);
        NullSpendException denial = new BudgetExceededException("user", "u", 100, 90, 50);

        f.held().fail(f.pipe().ctx, denial);

        assertThat(f.promise().cause()).isSameAs(denial);
        assertThat(f.held().acknowledged()).isFalse();
        assertThat(f.original().refCnt()).isZero();
    }

    @Test
    void aDeniedRequestInPartsFailsItsLastWriteWithTheDenialAndReleasesEverything() {
        Pipe pipe = new Pipe();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.wrappedBuffer(BODY));
        HeldRequest held = new HeldRequest(head, CHAT, null, false);
        ChannelPromise first = pipe.channel.newPromise();
        ChannelPromise second = pipe.channel.newPromise();
        held.add(head, first);
        held.add(last, second);
        NullSpendException denial = new BudgetExceededException("user", "u", 100, 90, 50);

        held.fail(pipe.ctx, denial);

        assertThat(first.isSuccess()).as("the head, taken as written while held").isTrue();
        assertThat(held.acknowledged()).as("so the handler raises the denial on the pipeline").isTrue();
        assertThat(second.cause()).isSameAs(denial);
        assertThat(last.refCnt()).isZero();
        assertThat((Object) pipe.channel.readOutbound()).isNull();
    }

    /**
     * Every write before the last is acknowledged as soon as it is held (Reactor Netty subscribes to a body
     * only once the head is written; the AWS SDK's Netty client writes its next part only once the one before
     * is: without this their requests never end), and forwarded later on a promise of its own; the last part's
     * promise completes only when sent. The next part may come from the acknowledgement's own listener,
     * back into the held request before {@code add} returns: the body is still copied in order.
     */
    @Test
    void writesBeforeTheLastAreAcknowledgedWhenHeldAndTheLastWhenSentEvenWhenTheNextComesFromTheListener() {
        Pipe pipe = new Pipe();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        HttpContent middle = new DefaultHttpContent(Unpooled.wrappedBuffer(BODY, 0, 10));
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.wrappedBuffer(BODY, 10, BODY.length - 10));
        HeldRequest held = new HeldRequest(head, CHAT, null, false);
        ChannelPromise[] promises = {pipe.channel.newPromise(), pipe.channel.newPromise(), pipe.channel.newPromise()};
        promises[1].addListener(written -> held.add(last, promises[2]));
        held.add(head, promises[0]);
        assertThat(promises[0].isSuccess()).isTrue();
        held.add(middle, promises[1]);

        assertThat(promises[1].isSuccess()).isTrue();
        assertThat(held.acknowledged()).isTrue();
        assertThat(held.readyToDecide()).isTrue();
        assertThat(held.body()).isEqualTo(BODY);
        assertThat(promises[2].isDone()).isFalse();
        assertThat((Object) pipe.channel.readOutbound()).isNull();

        held.forward(pipe.ctx, null);
        pipe.ctx.flush();

        assertThat(promises).allMatch(ChannelPromise::isSuccess);
        assertThat((Object) pipe.channel.readOutbound()).isSameAs(head);
        HttpContent sentMiddle = pipe.channel.readOutbound();
        assertThat(bytes(sentMiddle.content())).isEqualTo(Arrays.copyOfRange(BODY, 0, 10));
        LastHttpContent sentLast = pipe.channel.readOutbound();
        assertThat(bytes(sentLast.content())).isEqualTo(Arrays.copyOfRange(BODY, 10, BODY.length));
        sentMiddle.release();
        sentLast.release();
    }

    @Test
    void aBodyOverTheCopyLimitIsCutAndReadyToDecide() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        head.headers().set("content-length", 5 * 1024 * 1024);
        HeldRequest held = new HeldRequest(head, CHAT, null, false);
        held.add(head, new EmbeddedChannel().newPromise());
        HttpContent big = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[4 * 1024 * 1024 + 1]));
        held.add(big, new EmbeddedChannel().newPromise());

        assertThat(held.readyToDecide()).isTrue();
        assertThat(held.truncated()).isTrue();
        assertThat(held.complete()).isFalse();
        assertThat(held.body()).hasSize(4 * 1024 * 1024);
        assertThat(held.declaredLength()).isEqualTo(5L * 1024 * 1024);
        big.release();
    }

    private static FullHttpRequest full(byte[] body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions",
                Unpooled.wrappedBuffer(body));
        request.headers().set("content-length", body.length);
        return request;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    /** A request head that carries the body's first part, as Vert.x's assembled requests do. */
    private static final class HeadWithContent extends DefaultHttpRequest implements HttpContent {
        private final ByteBuf content;

        HeadWithContent(ByteBuf content) {
            super(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
            this.content = content;
        }

        @Override
        public ByteBuf content() {
            return content;
        }

        @Override
        public HttpContent copy() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpContent duplicate() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpContent retainedDuplicate() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpContent replace(ByteBuf content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int refCnt() {
            return content.refCnt();
        }

        @Override
        public HttpContent retain() {
            content.retain();
            return this;
        }

        @Override
        public HttpContent retain(int increment) {
            content.retain(increment);
            return this;
        }

        @Override
        public HttpContent touch() {
            return this;
        }

        @Override
        public HttpContent touch(Object hint) {
            return this;
        }

        @Override
        public boolean release() {
            return content.release();
        }

        @Override
        public boolean release(int decrement) {
            return content.release(decrement);
        }
    }
}
