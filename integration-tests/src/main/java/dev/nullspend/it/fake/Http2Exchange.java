package dev.nullspend.it.fake;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/2 stream seen as the JDK server's exchange, so a fake's {@link HttpHandler} answers it as it
 * answers HTTP/1.1: {@code :authority} is the {@code Host} header, {@code sendResponseHeaders} a HEADERS
 * frame (length -1: the stream ends there), each {@code flush} of the body DATA frames of at most
 * {@code dataFrameSize} bytes, {@code close} the stream's end. A handler that throws (a cut on purpose)
 * gets the stream reset instead, as the JDK server drops the connection.
 */
final class Http2Exchange extends HttpExchange {
    private final Http2StreamChannel stream;
    private final String method;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final byte[] requestBody;
    private final int dataFrameSize;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Body responseBody = new Body();
    private int status = -1;
    private boolean ended;

    Http2Exchange(Http2StreamChannel stream, Http2Headers headers, byte[] requestBody, int dataFrameSize) {
        this.stream = stream;
        this.method = headers.method().toString();
        this.uri = URI.create(headers.path().toString());
        this.requestBody = requestBody;
        this.dataFrameSize = dataFrameSize;
        headers.forEach(h -> {
            String name = h.getKey().toString();
            if (!name.startsWith(":")) {
                requestHeaders.add(name, h.getValue().toString());
            }
        });
        if (headers.authority() != null) {
            requestHeaders.set("Host", headers.authority().toString());
        }
    }

    /** The handler's run on this exchange: a throw resets the stream. */
    Runnable run(HttpHandler handler) {
        return () -> {
            try {
                handler.handle(this);
            } catch (Throwable cut) {
                responseBody.send(false);
                stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            }
        };
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        if (status < 0) {
            sendResponseHeaders(500, -1);
        }
        if (!ended) {
            responseBody.send(true);
        }
    }

    @Override
    public InputStream getRequestBody() {
        return new ByteArrayInputStream(requestBody);
    }

    @Override
    public OutputStream getResponseBody() {
        return responseBody;
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
        status = code;
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.status(Integer.toString(code));
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            for (String value : header.getValue()) {
                headers.add(header.getKey().toLowerCase(Locale.ROOT), value);
            }
        }
        if (length > 0) {
            headers.set("content-length", Long.toString(length));
        }
        ended = length < 0;
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, ended));
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) stream.parent().remoteAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) stream.parent().localAddress();
    }

    @Override
    public String getProtocol() {
        return "HTTP/2";
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        throw new UnsupportedOperationException("an HTTP/2 exchange keeps its own streams");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The response body: bytes gathered until a flush, then sent as DATA frames. */
    private final class Body extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            send(false);
        }

        @Override
        public void close() {
            flush();
        }

        /** What is pending as DATA frames; with {@code end}, the last one ends the stream (an empty one if none is pending). */
        void send(boolean end) {
            byte[] bytes = pending.toByteArray();
            pending.reset();
            int size = Math.max(1, dataFrameSize);
            for (int off = 0; off < bytes.length || (end && off == 0); off += size) {
                int n = Math.min(size, bytes.length - off);
                boolean last = end && off + n >= bytes.length;
                stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes, off, n), last));
                if (bytes.length == 0) {
                    break;
                }
            }
            stream.flush();
            if (end) {
                ended = true;
            }
        }
    }
}
