package dev.nullspend.agent.instrumentation.apache5;

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
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the classic HttpClient 5 advice calls: turns the request into an {@link Exchange} for the
 * core and puts the tee entity on the response. Injected beside the library; only a denial ever
 * leaves these methods. {@link #DEPTH} makes a {@code doExecute} reached from another one on
 * the same thread (a subclass delegating to {@code super}) count once.
 */
public final class Apache5Adapter {
    private static final CallDepth DEPTH = new CallDepth();

    private Apache5Adapter() {
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. Always pair with {@link #end}. */
    public static Object begin(HttpHost target, ClassicHttpRequest request) {
        if (DEPTH.enter() != 0) {
            return null;
        }
        try {
            HttpEntity entity = request.getEntity();
            LlmCall call = LlmCalls.begin(new Exchange(request.getMethod(), Apache5Requests.uri(target, request),
                    new Apache5Headers(request, entity),
                    entity == null ? Exchange.BodySource.EMPTY
                            : StreamBodies.requestBody(entity.isRepeatable(), new Apache5RequestContent(entity)),
                    entity == null ? 0L : entity.getContentLength()));
            if (call != null) {
                rewrite(request, call.rewrite());
            }
            return call;
        } catch (NullSpendException denial) {
            DEPTH.exit(); // the exit advice does not run when the enter advice throws
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("apache5-begin:" + t.getClass().getName(),
                    "cannot inspect an Apache HttpClient 5 request; it goes on untracked", t);
            return null;
        }
    }

    /**
     * After {@code doExecute}: the program's request gets back what {@link #begin} changed, the
     * response goes to the call and its entity is teed; a throw ends the call. Returns what
     * {@code doExecute} throws: {@code thrown}, or a NullSpend proxy's denial in place of its
     * response (closed), or null.
     */
    public static Throwable end(Object call, ClassicHttpRequest request, ClassicHttpResponse response, Throwable thrown) {
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
            Apache5Headers headers = new Apache5Headers(response, entity);
            if (llmCall.mayBeDenial(response.getCode(), headers)) {
                return proxyDenial(llmCall, headers, response, entity);
            }
            ResponseSink sink = llmCall.onResponse(response.getCode(), headers);
            if (sink == null) {
                return null;
            }
            if (entity == null) {
                sink.onComplete();
            } else if (!(entity instanceof Apache5TeeEntity)) {
                response.setEntity(new Apache5TeeEntity(entity, sink, llmCall.responseFilter()));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("apache5-end:" + t.getClass().getName(),
                    "cannot follow an Apache HttpClient 5 response; the program gets it untouched", t);
        }
        return null;
    }

    /**
     * Reads the (small) body of a NullSpend proxy response that may be a denial: a denial closes
     * the response and is returned; otherwise the program's entity gives exactly the bytes read
     * ahead, then the rest.
     */
    private static Throwable proxyDenial(LlmCall call, Apache5Headers headers, ClassicHttpResponse response,
                                         HttpEntity entity) throws IOException {
        InputStream in = entity == null ? null : entity.getContent();
        byte[] ahead = in == null ? new byte[0] : StreamBodies.readAhead(in, ProxyDenials.MAX_BODY);
        NullSpendException denial = call.denial(response.getCode(), headers, ahead);
        if (denial != null) {
            if (in != null) {
                in.close();
            }
            response.close();
            return denial;
        }
        if (in != null) {
            response.setEntity(new InputStreamEntity(StreamBodies.replay(ahead, in), entity.getContentLength(),
                    Apache5Requests.contentType(entity.getContentType()), entity.getContentEncoding()));
        }
        return null;
    }

    /**
     * Applies {@code rewrite} to the program's request for this one {@code execute};
     * {@link #restore} undoes it. The core only adds headers the request lacks, so removing them
     * afterwards restores it.
     */
    private static void rewrite(ClassicHttpRequest request, RequestRewrite rewrite) {
        if (rewrite == null) {
            return;
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            request.addHeader(rewrite.headerName(i), rewrite.headerValue(i));
        }
        if (rewrite.replacesBody() && request.getEntity() != null) {
            request.setEntity(new Apache5RewrittenEntity(request.getEntity(), rewrite.body()));
        }
    }

    private static void restore(ClassicHttpRequest request, RequestRewrite rewrite) {
        if (rewrite == null) {
            return;
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            request.removeHeaders(rewrite.headerName(i));
        }
        if (request.getEntity() instanceof Apache5RewrittenEntity) {
            request.setEntity(((Apache5RewrittenEntity) request.getEntity()).original());
        }
    }
}
