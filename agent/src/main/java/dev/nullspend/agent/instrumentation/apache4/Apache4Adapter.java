package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

import java.net.URI;

/**
 * What the HttpClient 4 advice calls: turns the request into an {@link Exchange} for the core
 * and puts the tee entity on the response. Injected beside the library; only a denial ever
 * leaves these methods. {@link #DEPTH} makes a {@code doExecute} reached from another one on
 * the same thread (a subclass delegating to {@code super}) count once.
 */
public final class Apache4Adapter {
    private static final CallDepth DEPTH = new CallDepth();

    private Apache4Adapter() {
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. Always pair with {@link #end}. */
    public static Object begin(HttpHost target, HttpRequest request) {
        if (DEPTH.enter() != 0) {
            return null;
        }
        try {
            return LlmCalls.begin(exchange(target, request));
        } catch (NullSpendException denial) {
            DEPTH.exit(); // the exit advice does not run when the enter advice throws
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("apache4-begin:" + t.getClass().getName(),
                    "cannot inspect an Apache HttpClient 4 request; it goes on untracked", t);
            return null;
        }
    }

    /** After {@code doExecute}: the response goes to the call and its entity is teed; a throw ends the call. */
    public static void end(Object call, HttpResponse response, Throwable thrown) {
        DEPTH.exit();
        if (call == null) {
            return;
        }
        LlmCall llmCall = (LlmCall) call;
        try {
            if (thrown != null) {
                llmCall.onFailure(thrown);
                return;
            }
            HttpEntity entity = response.getEntity();
            ResponseSink sink = llmCall.onResponse(response.getStatusLine().getStatusCode(),
                    new Apache4Headers(response, entity));
            if (sink == null) {
                return;
            }
            if (entity == null) {
                sink.onComplete();
            } else if (!(entity instanceof Apache4TeeEntity)) {
                response.setEntity(new Apache4TeeEntity(entity, sink));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("apache4-end:" + t.getClass().getName(),
                    "cannot follow an Apache HttpClient 4 response; the program gets it untouched", t);
        }
    }

    private static Exchange exchange(HttpHost target, HttpRequest request) {
        HttpEntity entity = request instanceof HttpEntityEnclosingRequest
                ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
        return new Exchange(request.getRequestLine().getMethod(), uri(target, request),
                new Apache4Headers(request, entity),
                entity == null ? Exchange.BodySource.EMPTY
                        : StreamBodies.requestBody(entity.isRepeatable(), new Apache4RequestContent(entity)),
                entity == null ? 0L : entity.getContentLength());
    }

    /** The absolute URI: the request's own when absolute, else the target host's origin plus the request's path. */
    private static URI uri(HttpHost target, HttpRequest request) {
        URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI()
                : URI.create(request.getRequestLine().getUri());
        if (uri.isAbsolute() || target == null) {
            return uri;
        }
        String path = uri.toASCIIString();
        return URI.create(target.toURI() + (path.startsWith("/") ? path : "/" + path));
    }
}
