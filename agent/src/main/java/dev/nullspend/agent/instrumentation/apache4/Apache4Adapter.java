package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.InputStreamEntity;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
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
            LlmCall call = LlmCalls.begin(exchange(target, request));
            if (call != null) {
                rewrite(request, call.rewrite());
            }
            return call;
        } catch (NullSpendException denial) {
            DEPTH.exit(); // the exit advice does not run when the enter advice throws
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("apache4-begin:" + t.getClass().getName(),
                    "cannot inspect an Apache HttpClient 4 request; it goes on untracked", t);
            return null;
        }
    }

    /**
     * After {@code doExecute}: the program's request gets back what {@link #begin} changed, the
     * response goes to the call and its entity is teed; a throw ends the call. Returns what
     * {@code doExecute} throws: {@code thrown}, or a NullSpend proxy's denial in place of its
     * response (closed), or null.
     */
    public static Throwable end(Object call, HttpRequest request, HttpResponse response, Throwable thrown) {
        DEPTH.exit();
        if (call == null) {
            return thrown;
        }
        LlmCall llmCall = (LlmCall) call;
        try {
            restore(request, llmCall.rewrite());
            if (thrown != null) {
                llmCall.onFailure(thrown);
                return thrown;
            }
            HttpEntity entity = response.getEntity();
            int status = response.getStatusLine().getStatusCode();
            Apache4Headers headers = new Apache4Headers(response, entity);
            if (llmCall.mayBeDenial(status, headers)) {
                return proxyDenial(llmCall, status, headers, response, entity);
            }
            ResponseSink sink = llmCall.onResponse(status, headers);
            if (sink == null) {
                return null;
            }
            if (entity == null) {
                sink.onComplete();
            } else if (!(entity instanceof Apache4TeeEntity)) {
                response.setEntity(new Apache4TeeEntity(entity, sink, llmCall.responseFilter()));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("apache4-end:" + t.getClass().getName(),
                    "cannot follow an Apache HttpClient 4 response; the program gets it untouched", t);
        }
        return null;
    }

    /**
     * Reads the (small) body of a NullSpend proxy response that may be a denial: a denial closes
     * the response and is returned; otherwise the program's entity gives exactly the bytes read
     * ahead, then the rest.
     */
    private static Throwable proxyDenial(LlmCall call, int status, Apache4Headers headers, HttpResponse response,
                                         HttpEntity entity) throws IOException {
        InputStream in = entity == null ? null : entity.getContent();
        byte[] ahead = in == null ? new byte[0] : StreamBodies.readAhead(in, ProxyDenials.MAX_BODY);
        NullSpendException denial = call.denial(status, headers, ahead);
        if (denial != null) {
            if (in != null) {
                in.close();
            }
            if (response instanceof Closeable) {
                ((Closeable) response).close();
            }
            return denial;
        }
        if (in != null) {
            InputStreamEntity replay = new InputStreamEntity(StreamBodies.replay(ahead, in), entity.getContentLength());
            replay.setContentType(entity.getContentType());
            replay.setContentEncoding(entity.getContentEncoding());
            replay.setChunked(entity.isChunked());
            response.setEntity(replay);
        }
        return null;
    }

    /**
     * Applies {@code rewrite} to the program's request for this one {@code execute} (HttpClient 4
     * has no copy that keeps a request's own {@code RequestConfig}); {@link #restore} undoes it.
     * The core only adds headers the request lacks, so removing them afterwards restores it.
     */
    private static void rewrite(HttpRequest request, RequestRewrite rewrite) {
        if (rewrite == null) {
            return;
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            request.addHeader(rewrite.headerName(i), rewrite.headerValue(i));
        }
        if (rewrite.replacesBody() && request instanceof HttpEntityEnclosingRequest) {
            HttpEntityEnclosingRequest withBody = (HttpEntityEnclosingRequest) request;
            if (withBody.getEntity() != null) {
                withBody.setEntity(new Apache4RewrittenEntity(withBody.getEntity(), rewrite.body()));
            }
        }
    }

    private static void restore(HttpRequest request, RequestRewrite rewrite) {
        if (rewrite == null) {
            return;
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            request.removeHeaders(rewrite.headerName(i));
        }
        if (request instanceof HttpEntityEnclosingRequest
                && ((HttpEntityEnclosingRequest) request).getEntity() instanceof Apache4RewrittenEntity) {
            HttpEntityEnclosingRequest withBody = (HttpEntityEnclosingRequest) request;
            withBody.setEntity(((Apache4RewrittenEntity) withBody.getEntity()).original());
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
