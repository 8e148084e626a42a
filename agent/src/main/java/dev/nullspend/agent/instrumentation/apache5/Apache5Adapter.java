package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.instrumentation.entity.EntityCalls;
import dev.nullspend.agent.instrumentation.entity.EntityClient;
import dev.nullspend.agent.instrumentation.entity.HeaderGetter;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.MessageHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * What the classic HttpClient 5 advice calls: {@link #begin} and {@link #end} run the
 * client-neutral {@link EntityCalls} flow, to which this class answers for HttpClient 5's classic
 * types. It also reads the headers of every HttpClient 5 message, classic or async
 * ({@code getFirstHeader} ignores case; the entity details are a classic entity's or an async
 * entity producer's). Injected beside the library; only a denial ever leaves these methods.
 */
public final class Apache5Adapter implements EntityClient<HttpHost, ClassicHttpRequest, ClassicHttpResponse, HttpEntity>,
        HeaderGetter<MessageHeaders, EntityDetails> {
    static final Apache5Adapter CLIENT = new Apache5Adapter();
    private static final EntityCalls<HttpHost, MessageHeaders, ClassicHttpRequest, ClassicHttpResponse, HttpEntity> CALLS =
            new EntityCalls<>(CLIENT, CLIENT, "apache5", "Apache HttpClient 5");

    private Apache5Adapter() {
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. Always pair with {@link #end}. */
    public static Object begin(HttpHost target, ClassicHttpRequest request) {
        return CALLS.begin(target, request);
    }

    /** What {@code doExecute} throws: {@code thrown}, a NullSpend proxy's denial, or null (see {@link EntityCalls#end}). */
    public static Throwable end(Object call, ClassicHttpRequest request, ClassicHttpResponse response, Throwable thrown) {
        return CALLS.end(call, request, response, thrown);
    }

    @Override
    public String method(ClassicHttpRequest request) {
        return request.getMethod();
    }

    @Override
    public URI uri(HttpHost target, ClassicHttpRequest request) {
        return Apache5Requests.uri(target, request);
    }

    @Override
    public String host(HttpHost target, ClassicHttpRequest request) {
        return Apache5Requests.host(target, request);
    }

    @Override
    public String requestTarget(ClassicHttpRequest request) {
        return request.getPath();
    }

    @Override
    public HttpEntity requestEntity(ClassicHttpRequest request) {
        return request.getEntity();
    }

    @Override
    public void setRequestEntity(ClassicHttpRequest request, HttpEntity entity) {
        request.setEntity(entity);
    }

    @Override
    public void addHeader(ClassicHttpRequest request, String name, String value) {
        request.addHeader(name, value);
    }

    @Override
    public void removeHeaders(ClassicHttpRequest request, String name) {
        request.removeHeaders(name);
    }

    @Override
    public int status(ClassicHttpResponse response) {
        return response.getCode();
    }

    @Override
    public HttpEntity responseEntity(ClassicHttpResponse response) {
        return response.getEntity();
    }

    @Override
    public void close(ClassicHttpResponse response) throws IOException {
        response.close();
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
        return new ByteArrayEntity(body, Apache5Requests.contentType(original.getContentType()));
    }

    @Override
    public void replay(ClassicHttpResponse response, HttpEntity original, InputStream content) {
        response.setEntity(new InputStreamEntity(content, original.getContentLength(),
                Apache5Requests.contentType(original.getContentType()), original.getContentEncoding()));
    }

    @Override
    public void tee(ClassicHttpResponse response, HttpEntity wrapped, ResponseSink sink, ResponseFilter filter) {
        response.setEntity(new Apache5TeeEntity(wrapped, sink, filter));
    }

    @Override
    public boolean isTee(HttpEntity entity) {
        return entity instanceof Apache5TeeEntity;
    }

    @Override
    public String header(MessageHeaders message, String name) {
        Header h = message.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    @Override
    public String contentType(EntityDetails entity) {
        return entity.getContentType();
    }

    @Override
    public String contentEncoding(EntityDetails entity) {
        return entity.getContentEncoding();
    }
}
