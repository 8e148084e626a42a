package com.example;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/** An HTTP client of its own on a blocking NIO {@code SocketChannel}, as Netty's NIO transport connects. */
public final class MyNioClient {
    private MyNioClient() {
    }

    /** POSTs {@code json} to {@code path} on {@code host:port} and returns the response's status line. */
    public static String post(String host, int port, String path, String json) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.connect(new InetSocketAddress(host, port));
            ByteBuffer request = ByteBuffer.wrap(Http11.request(host, port, path, json));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            return Http11.statusLine(Channels.newInputStream(channel));
        }
    }
}
