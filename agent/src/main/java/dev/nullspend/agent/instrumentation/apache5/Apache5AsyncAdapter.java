package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

import java.util.concurrent.Future;

/**
 * What the async HttpClient 5 advice calls. Injected beside the library; never throws. The
 * request is read and the call begun on the caller's thread, inside {@code doExecute}, before
 * the client touches the producer; a denial is handed back for the advice to skip the method.
 */
public final class Apache5AsyncAdapter {
    /** Index of the denial in the advice's state; non-null makes the advice skip the method. */
    public static final int DENIAL = 0;
    /** Index of the {@link LlmCall} in the advice's state. */
    public static final int CALL = 1;
    /** Index of the producer to send in the advice's state: the program's, or one with the call's rewrite. */
    public static final int PRODUCER = 2;
    private static final Object[] NOT_TRACKED = new Object[3];
    private static final CallDepth DEPTH = new CallDepth();

    private Apache5AsyncAdapter() {
    }

    /** {@code {denial, call, producer to send}}; always pair with {@link #end}. */
    public static Object[] begin(HttpHost target, AsyncRequestProducer producer) {
        if (DEPTH.enter() != 0) {
            return NOT_TRACKED;
        }
        try {
            Apache5AsyncRequest request = Apache5AsyncRequest.capture(producer, target);
            LlmCall call = request == null ? null : LlmCalls.begin(request.exchange(target));
            if (call == null) {
                return NOT_TRACKED;
            }
            RequestRewrite rewrite = call.rewrite();
            return new Object[] {null, call, rewrite == null ? producer : request.rewritten(rewrite)};
        } catch (NullSpendException denial) {
            return new Object[] {denial, null, null};
        } catch (Throwable t) {
            AgentLog.warnOnce("apache5-async-begin:" + t.getClass().getName(),
                    "cannot inspect an Apache HttpClient 5 async request; it goes on untracked", t);
            return NOT_TRACKED;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static AsyncResponseConsumer tee(AsyncResponseConsumer consumer, Object call) {
        if (consumer == null || consumer instanceof Apache5TeeConsumer) {
            return consumer;
        }
        return new Apache5TeeConsumer(consumer, (LlmCall) call);
    }

    /**
     * The future {@code doExecute} returns: for a denial, a failed one whose failure also reached
     * the program's callback (nothing was sent); else the client's own. A throw out of
     * {@code doExecute} ends the call.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Future end(Object[] state, FutureCallback callback, Future result, Throwable thrown) {
        DEPTH.exit();
        if (state[DENIAL] != null) {
            BasicFuture denied = new BasicFuture(callback);
            try {
                denied.failed((Exception) state[DENIAL]);
            } catch (RuntimeException callbackFailure) {
                // the program's own callback threw; the future is failed all the same
                AgentLog.debug("a FutureCallback threw while receiving a denial: " + callbackFailure);
            }
            return denied;
        }
        LlmCall call = (LlmCall) state[CALL];
        if (call != null && thrown != null) {
            call.onFailure(thrown);
        }
        return result;
    }
}
