package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 server on Netty for the fakes: prior knowledge (h2c, no TLS), one stream per request. A
 * request's headers and body are gathered on the event loop; once its stream ends, the JDK
 * {@link HttpHandler} the fake uses over HTTP/1.1 answers it on a handler thread, through an
 * {@link Http2Exchange}, so one handler serves both protocols.
 */
final class Http2LoopbackServer {

    private Http2LoopbackServer() {
    }

    /** Binds 127.0.0.1 on a free port; the handler runs on {@code executor}, which closing the server shuts down. */
    static LoopbackServer start(HttpHandler handler, ExecutorService executor, int dataFrameSize) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                    new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                        @Override
                                        protected void initChannel(Http2StreamChannel stream) {
                                            stream.pipeline().addLast(new StreamRequest(handler, executor, dataFrameSize));
                                        }
                                    }));
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0)).sync().channel();
            return new LoopbackServer(((InetSocketAddress) server.localAddress()).getPort(), () -> {
                server.close();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                executor.shutdownNow();
            });
        } catch (Exception e) {
            group.shutdownGracefully();
            executor.shutdownNow();
            throw new IllegalStateException("cannot start an HTTP/2 server", e);
        }
    }

    /** One stream's request, gathered until its end, then handed to the handler on a handler thread. */
    private static final class StreamRequest extends ChannelInboundHandlerAdapter {
        private final HttpHandler handler;
        private final ExecutorService executor;
        private final int dataFrameSize;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers headers;

        StreamRequest(HttpHandler handler, ExecutorService executor, int dataFrameSize) {
            this.handler = handler;
            this.executor = executor;
            this.dataFrameSize = dataFrameSize;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end;
                if (msg instanceof Http2HeadersFrame frame) {
                    if (headers == null) {
                        headers = frame.headers();
                    }
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame frame) {
                    ByteBuf content = frame.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    body.write(bytes, 0, bytes.length);
                    end = frame.isEndStream();
                } else {
                    return;
                }
                if (end) {
                    Http2Exchange exchange = new Http2Exchange((Http2StreamChannel) ctx.channel(), headers,
                            body.toByteArray(), dataFrameSize);
                    executor.execute(exchange.run(handler));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
