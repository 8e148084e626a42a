package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.instrumentation.entity.EntityHeaders;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.util.Set;

/**
 * Reads an async request before it is sent. An {@code AsyncRequestProducer} only reveals its
 * request by handing it to a {@link RequestChannel}; for the library's {@code BasicRequestProducer}
 * and {@code SimpleRequestProducer} (what {@code SimpleHttpRequest}, {@code SimpleRequestProducer.create}
 * and {@code AsyncRequestBuilder} give) that is a plain call with no side effect, so it is made
 * here into this capturing channel. Other producers may do work in {@code sendRequest} and are
 * not asked: their calls go on untracked.
 */
public final class Apache5AsyncRequest implements RequestChannel {
    private static final Set<String> READABLE = Set.of(
            "org.apache.hc.core5.http.nio.support.BasicRequestProducer",
            "org.apache.hc.client5.http.async.methods.SimpleRequestProducer");

    /** The channel each thread captures into before it knows whether the request is worth keeping. */
    private static final ThreadLocal<Apache5AsyncRequest> SCRATCH = new ThreadLocal<>();

    private HttpRequest request;
    private EntityDetails entity;

    private Apache5AsyncRequest() {
    }

    private Apache5AsyncRequest(HttpRequest request, EntityDetails entity) {
        this.request = request;
        this.entity = entity;
    }

    /**
     * What {@code producer} will send to {@code target} (may be null), captured; null when it cannot
     * be read, or when it is surely no LLM call ({@link LlmCalls#isCandidate}): then nothing is made.
     */
    public static Apache5AsyncRequest capture(AsyncRequestProducer producer, HttpHost target)
            throws HttpException, IOException {
        if (producer == null || !READABLE.contains(producer.getClass().getName())) {
            return null;
        }
        Apache5AsyncRequest scratch = SCRATCH.get();
        if (scratch == null) {
            scratch = new Apache5AsyncRequest();
            SCRATCH.set(scratch);
        }
        HttpRequest sent;
        EntityDetails details;
        try {
            producer.sendRequest(scratch, null);
            sent = scratch.request;
            details = scratch.entity;
        } finally {
            scratch.request = null; // the thread keeps no request alive
            scratch.entity = null;
        }
        if (sent == null || !LlmCalls.isCandidate(sent.getMethod(), Apache5Requests.host(target, sent), sent.getPath())) {
            return null;
        }
        return new Apache5AsyncRequest(sent, details);
    }

    /** The exchange for the captured request to {@code target} (may be null). */
    public Exchange exchange(HttpHost target) {
        return new Exchange(request.getMethod(), Apache5Requests.uri(target, request),
                EntityHeaders.of(Apache5Adapter.CLIENT, request, entity),
                Apache5ProducerBody.of(entity), entity == null ? 0L : entity.getContentLength());
    }

    /**
     * A producer of the captured request with {@code rewrite} applied: a copy of the request
     * (the program's own is not changed: it is sent later, on another thread) with the added
     * headers, and the new body in memory with the original's content type, or the original
     * body producer.
     */
    public AsyncRequestProducer rewritten(RequestRewrite rewrite) {
        BasicHttpRequest copy = new BasicHttpRequest(request.getMethod(), request.getPath());
        copy.setScheme(request.getScheme());
        copy.setAuthority(request.getAuthority());
        copy.setVersion(request.getVersion());
        copy.setHeaders(request.getHeaders());
        for (int i = 0; i < rewrite.headerCount(); i++) {
            copy.addHeader(rewrite.headerName(i), rewrite.headerValue(i));
        }
        AsyncEntityProducer body = entity instanceof AsyncEntityProducer ? (AsyncEntityProducer) entity : null;
        if (rewrite.replacesBody() && body != null) {
            body = new BasicAsyncEntityProducer(rewrite.body(), Apache5Requests.contentType(body.getContentType()));
        }
        return new BasicRequestProducer(copy, body);
    }

    @Override
    public void sendRequest(HttpRequest request, EntityDetails entityDetails, HttpContext context) {
        this.request = request;
        this.entity = entityDetails;
    }
}
