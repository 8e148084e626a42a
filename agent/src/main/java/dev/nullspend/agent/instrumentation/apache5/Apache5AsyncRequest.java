package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.Exchange;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.RequestChannel;
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

    private HttpRequest request;
    private EntityDetails entity;

    private Apache5AsyncRequest() {
    }

    /** The exchange for what {@code producer} will send to {@code target} (may be null), or null when it cannot be read. */
    public static Exchange exchange(HttpHost target, AsyncRequestProducer producer) throws HttpException, IOException {
        if (producer == null || !READABLE.contains(producer.getClass().getName())) {
            return null;
        }
        Apache5AsyncRequest captured = new Apache5AsyncRequest();
        producer.sendRequest(captured, null);
        HttpRequest request = captured.request;
        if (request == null) {
            return null;
        }
        EntityDetails entity = captured.entity;
        return new Exchange(request.getMethod(), Apache5Requests.uri(target, request), new Apache5Headers(request, entity),
                Apache5ProducerBody.of(entity), entity == null ? 0L : entity.getContentLength());
    }

    @Override
    public void sendRequest(HttpRequest request, EntityDetails entityDetails, HttpContext context) {
        this.request = request;
        this.entity = entityDetails;
    }
}
