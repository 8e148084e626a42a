package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

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
            return LlmCalls.begin(new Exchange(request.getMethod(), Apache5Requests.uri(target, request),
                    new Apache5Headers(request, entity),
                    entity == null ? Exchange.BodySource.EMPTY
                            : StreamBodies.requestBody(entity.isRepeatable(), new Apache5RequestContent(entity)),
                    entity == null ? 0L : entity.getContentLength()));
        } catch (NullSpendException denial) {
            DEPTH.exit(); // the exit advice does not run when the enter advice throws
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("apache5-begin:" + t.getClass().getName(),
                    "cannot inspect an Apache HttpClient 5 request; it goes on untracked", t);
            return null;
        }
    }

    /** After {@code doExecute}: the response goes to the call and its entity is teed; a throw ends the call. */
    public static void end(Object call, ClassicHttpResponse response, Throwable thrown) {
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
            ResponseSink sink = llmCall.onResponse(response.getCode(), new Apache5Headers(response, entity));
            if (sink == null) {
                return;
            }
            if (entity == null) {
                sink.onComplete();
            } else if (!(entity instanceof Apache5TeeEntity)) {
                response.setEntity(new Apache5TeeEntity(entity, sink));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("apache5-end:" + t.getClass().getName(),
                    "cannot follow an Apache HttpClient 5 response; the program gets it untouched", t);
        }
    }
}
