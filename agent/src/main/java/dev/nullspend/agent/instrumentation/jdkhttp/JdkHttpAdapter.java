package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
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

    /**
     * The request to send for {@code call}: the program's own, or a copy with the call's
     * {@link RequestRewrite} applied ({@code HttpRequest} is immutable, so the program's object
     * is never changed). The copy keeps everything else: method, URI, version, timeout,
     * expect-continue and every header; the JDK derives the new body's length.
     */
    public static HttpRequest rewrite(HttpRequest request, Object call) {
        RequestRewrite rewrite = ((LlmCall) call).rewrite();
        if (rewrite == null) {
            return request;
        }
        try {
            HttpRequest.Builder copy = HttpRequest.newBuilder(request, RequestRewrite.ALL_HEADERS);
            for (int i = 0; i < rewrite.headerCount(); i++) {
                copy.header(rewrite.headerName(i), rewrite.headerValue(i));
            }
            if (rewrite.replacesBody()) {
                copy.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(rewrite.body()));
            }
            return copy.build();
        } catch (Throwable t) {
            AgentLog.warnOnce("jdk-rewrite:" + t.getClass().getName(),
                    "cannot rewrite a java.net.http request; it is sent as the program built it", t);
            return request;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static HttpResponse.BodyHandler tee(HttpResponse.BodyHandler handler, Object call) {
        if (handler == null || handler instanceof TeeBodyHandler) {
            return handler;
        }
        return new TeeBodyHandler(handler, (LlmCall) call);
    }

    /**
     * {@code send} threw {@code error}: the call failed, unless the NullSpend proxy denied it, which
     * {@code send} reports as an {@code IOException} caused by the denial: the denial itself is what
     * the program must get. Returns what {@code send} throws.
     */
    public static Throwable failed(Object call, Throwable error) {
        if (error instanceof IOException && error.getCause() instanceof NullSpendException) {
            return error.getCause();
        }
        ((LlmCall) call).onFailure(error);
        return error;
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
