package dev.nullspend.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * {@code java.net.HttpURLConnection} as programs use it. Mode: how the body is sent — {@code sync}
 * (the default mode: the JDK buffers the body and sends it with the headers when the response is
 * asked for), {@code fixed} ({@code setFixedLengthStreamingMode}, with {@code connect()} called before
 * {@code getOutputStream()} as Spring's {@code SimpleClientHttpRequestFactory} does) or
 * {@code chunked} ({@code setChunkedStreamingMode(1024)}); the body is written in two parts, or with option
 * {@code write=none} never (the program asks for the response without opening the output stream). Read:
 * {@code whole} and {@code string} ask for {@code getInputStream()} first (twice: the program must get
 * the same stream both times) and read a failed call's {@code getErrorStream()} when there is one;
 * {@code streamed} asks for {@code getResponseCode()} first, then reads the input or error stream
 * chunk by chunk as it arrives; {@code header-first} asks for {@code getHeaderField("Content-Type")} first, then
 * as {@code streamed}; {@code first-event-then-disconnect} reads up to the end of the first SSE event, then
 * calls {@code disconnect()}.
 */
public final class UrlConnectionDriver implements ClientDriver {

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(request.url()).toURL().openConnection();
        request.headers().forEach(connection::setRequestProperty);
        if (request.body() != null) {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", request.contentType());
            byte[] bytes = request.body();
            switch (mode) {
                case "sync" -> {
                }
                case "fixed" -> {
                    connection.setFixedLengthStreamingMode(bytes.length);
                    connection.connect();
                }
                case "chunked" -> connection.setChunkedStreamingMode(1024);
                default -> throw new IllegalArgumentException("url-connection mode: sync, fixed or chunked");
            }
            if (!request.option("write", "body").equals("none")) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes, 0, bytes.length / 2);
                    out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                }
            }
        }
        switch (read) {
            case "whole", "string" -> {
                try (InputStream in = inputFirst(connection)) {
                    body.accept(in.readAllBytes());
                }
                return connection.getResponseCode();
            }
            case "streamed" -> {
                return statusFirst(connection, body);
            }
            case "header-first" -> {
                connection.getHeaderField("Content-Type"); // null for a denied call: the JDK swallows the IOException
                return statusFirst(connection, body);
            }
            case "first-event-then-disconnect" -> {
                int status = connection.getResponseCode();
                InputStream in = connection.getInputStream();
                byte[] buf = new byte[1];
                int previous = -1;
                for (int b; (b = in.read()) != -1; previous = b) {
                    buf[0] = (byte) b;
                    body.accept(buf);
                    if (b == '\n' && previous == '\n') {
                        break;
                    }
                }
                connection.disconnect();
                return status;
            }
            default -> throw new IllegalArgumentException(
                    "url-connection read: whole, string, streamed, header-first or first-event-then-disconnect");
        }
    }

    /** {@code getResponseCode()}, then the input or error stream read chunk by chunk as it arrives. */
    private static int statusFirst(HttpURLConnection connection, ReceivedBytes body) throws IOException {
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in != null) {
            StreamReading.readChunks(in, body);
        }
        return status;
    }

    /** {@code getInputStream()} (twice: the same stream), or for a failed call its error stream when there is one. */
    private static InputStream inputFirst(HttpURLConnection connection) throws IOException {
        try {
            InputStream in = connection.getInputStream();
            if (connection.getInputStream() != in) {
                throw new IllegalStateException("getInputStream() gave another stream the second time");
            }
            return in;
        } catch (IOException e) {
            InputStream error = connection.getErrorStream();
            if (error == null) {
                throw e;
            }
            return error;
        }
    }

    @Override
    public void close() {
        // nothing to close: each call opens its own connection
    }
}
