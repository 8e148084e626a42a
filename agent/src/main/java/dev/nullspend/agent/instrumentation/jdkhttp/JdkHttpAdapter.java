package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the JDK client's advice calls: turns an {@link HttpRequest} into an {@link Exchange} for
 * the core and wraps the program's {@code BodyHandler} in the tee. Injected into the platform
 * class loader (beside {@code java.net.http}); only a denial ever leaves these methods.
 */
public final class JdkHttpAdapter {
    /** Index of the denial in the async advice's state; non-null makes the advice skip the method. */
    public static final int DENIAL = 0;
    /** Index of the {@link LlmCall} in the async advice's state. */
    public static final int CALL = 1;
    private static final Object[] NOT_TRACKED = new Object[2];

    private JdkHttpAdapter() {
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. */
    public static Object begin(HttpRequest request) {
        try {
            return LlmCalls.begin(exchange(request));
        } catch (NullSpendException denial) {
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("jdk-begin:" + t.getClass().getName(), "cannot inspect a java.net.http request; it goes on untracked", t);
            return null;
        }
    }

    /** {@code {denial, call}} for the async advice; never throws. */
    public static Object[] beginAsync(HttpRequest request) {
        try {
            Object call = begin(request);
            return call == null ? NOT_TRACKED : new Object[] {null, call};
        } catch (NullSpendException denial) {
            return new Object[] {denial, null};
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static HttpResponse.BodyHandler tee(HttpResponse.BodyHandler handler, Object call) {
        if (handler == null || handler instanceof TeeBodyHandler) {
            return handler;
        }
        return new TeeBodyHandler(handler, (LlmCall) call);
    }

    public static void failed(Object call, Throwable error) {
        ((LlmCall) call).onFailure(error);
    }

    /** The future {@code sendAsync} returns: a failed one for a denial, else the client's own, watched for failure. */
    public static CompletableFuture<?> endAsync(Object[] state, CompletableFuture<?> result, Throwable thrown) {
        if (state[DENIAL] != null) {
            return CompletableFuture.failedFuture((Throwable) state[DENIAL]);
        }
        LlmCall call = (LlmCall) state[CALL];
        if (call != null) {
            if (thrown != null) {
                call.onFailure(thrown);
            } else if (result != null) {
                result.whenComplete(call);
            }
        }
        return result;
    }

    private static Exchange exchange(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        long declared = publisher.isPresent() ? publisher.get().contentLength() : 0L;
        return new Exchange(request.method(), request.uri(), new JdkHeaders(request.headers()),
                new RequestBodyCopier(request), declared);
    }
}
