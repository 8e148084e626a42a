package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityCalls;
import dev.nullspend.agent.instrumentation.entity.EntityClient;
import dev.nullspend.agent.instrumentation.entity.HeaderGetter;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpMessage;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.InputStreamEntity;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * What the HttpClient 4 advice calls: {@link #begin} and {@link #end} run the client-neutral
 * {@link EntityCalls} flow, to which this class answers for HttpClient 4's types (its headers
 * included: {@code getFirstHeader} ignores case). Injected beside the library; only a denial ever
 * leaves these methods.
 */
public final class Apache4Adapter implements EntityClient<HttpHost, HttpRequest, HttpResponse, HttpEntity>,
        HeaderGetter<HttpMessage, HttpEntity> {
    static final Apache4Adapter CLIENT = new Apache4Adapter();
    private static final EntityCalls<HttpHost, HttpMessage, HttpRequest, HttpResponse, HttpEntity> CALLS =
            new EntityCalls<>(CLIENT, CLIENT, "apache4", "Apache HttpClient 4");

    private Apache4Adapter() {
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. Always pair with {@link #end}. */
    public static Object begin(HttpHost target, HttpRequest request) {
        return CALLS.begin(target, request);
    }

    /** What {@code doExecute} throws: {@code thrown}, a NullSpend proxy's denial, or null (see {@link EntityCalls#end}). */
    public static Throwable end(Object call, HttpRequest request, HttpResponse response, Throwable thrown) {
        return CALLS.end(call, request, response, thrown);
    }

    /** {@code getRequestLine()} makes a new line (and URI string) each time on {@code HttpRequestBase}: its own method first. */
    @Override
    public String method(HttpRequest request) {
        return request instanceof HttpUriRequest ? ((HttpUriRequest) request).getMethod() : request.getRequestLine().getMethod();
    }

    /** The absolute URI: the request's own when absolute, else the target host's origin plus the request's path. */
    @Override
    public URI uri(HttpHost target, HttpRequest request) {
        URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI()
                : URI.create(request.getRequestLine().getUri());
        if (uri.isAbsolute() || target == null) {
            return uri;
        }
        String path = uri.toASCIIString();
        return URI.create(target.toURI() + (path.startsWith("/") ? path : "/" + path));
    }

    /** The request's own host when its URI is absolute, else the target's, as {@link #uri} takes them. */
    @Override
    public String host(HttpHost target, HttpRequest request) {
        URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI() : null;
        if (uri == null) {
            return null;
        }
        return uri.isAbsolute() || target == null ? uri.getHost() : target.getHostName();
    }

    @Override
    public String requestTarget(HttpRequest request) {
        URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI() : null;
        return uri == null ? null : uri.getRawPath();
    }

    @Override
    public HttpEntity requestEntity(HttpRequest request) {
        return request instanceof HttpEntityEnclosingRequest ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
    }

    @Override
    public void setRequestEntity(HttpRequest request, HttpEntity entity) {
        ((HttpEntityEnclosingRequest) request).setEntity(entity);
    }

    @Override
    public void addHeader(HttpRequest request, String name, String value) {
        request.addHeader(name, value);
    }

    @Override
    public void removeHeaders(HttpRequest request, String name) {
        request.removeHeaders(name);
    }

    @Override
    public int status(HttpResponse response) {
        return response.getStatusLine().getStatusCode();
    }

    @Override
    public HttpEntity responseEntity(HttpResponse response) {
        return response.getEntity();
    }

    /** A {@code CloseableHttpResponse}; the plain {@code HttpResponse} of a deprecated client has nothing to close. */
    @Override
    public void close(HttpResponse response) throws IOException {
        if (response instanceof Closeable) {
            ((Closeable) response).close();
        }
    }

    @Override
    public boolean repeatable(HttpEntity entity) {
        return entity.isRepeatable();
    }

    @Override
    public long length(HttpEntity entity) {
        return entity.getContentLength();
    }

    @Override
    public InputStream content(HttpEntity entity) throws IOException {
        return entity.getContent();
    }

    @Override
    public void writeTo(HttpEntity entity, OutputStream out) throws IOException {
        entity.writeTo(out);
    }

    @Override
    public HttpEntity withBody(HttpEntity original, byte[] body) {
        ByteArrayEntity rewritten = new ByteArrayEntity(body);
        rewritten.setContentType(original.getContentType());
        return rewritten;
    }

    @Override
    public void replay(HttpResponse response, HttpEntity original, InputStream content) {
        InputStreamEntity replay = new InputStreamEntity(content, original.getContentLength());
        replay.setContentType(original.getContentType());
        replay.setContentEncoding(original.getContentEncoding());
        replay.setChunked(original.isChunked());
        response.setEntity(replay);
    }

    @Override
    public void tee(HttpResponse response, HttpEntity wrapped, ResponseSink sink, ResponseFilter filter) {
        response.setEntity(new Apache4TeeEntity(wrapped, sink, filter));
    }

    @Override
    public boolean isTee(HttpEntity entity) {
        return entity instanceof Apache4TeeEntity;
    }

    @Override
    public String header(HttpMessage message, String name) {
        return value(message.getFirstHeader(name));
    }

    @Override
    public String contentType(HttpEntity entity) {
        return value(entity.getContentType());
    }

    @Override
    public String contentEncoding(HttpEntity entity) {
        return value(entity.getContentEncoding());
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }
}
