package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.core.UnreadBodies;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the JDK client's advice calls: turns an {@link HttpRequest} into an {@link Exchange} for
 * the core and wraps the program's {@code BodyHandler} in the tee. Injected into the platform
 * class loader (beside {@code java.net.http}); only a denial ever leaves these methods.
 */
public final class JdkHttpAdapter {
    /** Index of what the async advice returns instead of running the method (a future); non-null skips it. */
    public static final int INSTEAD = 0;
    /** Index of the {@link LlmCall} in the async advice's state. */
    public static final int CALL = 1;
    private static final Object[] NOT_TRACKED = new Object[2];
    private static final String CLIENT = "java.net.http";
    private static final String IN_MEMORY = "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher";
    private static final String EMPTY = "jdk.internal.net.http.RequestPublishers$EmptyPublisher";

    private JdkHttpAdapter() {
    }

    /**
     * False for a request {@link LlmCalls#begin} would surely leave alone ({@link LlmCalls#isCandidate}):
     * the advice then lets it go untouched. Reads the URI's parsed fields; allocates nothing.
     */
    public static boolean mayTrack(HttpRequest request) {
        URI uri = request == null ? null : request.uri();
        return uri == null || LlmCalls.isCandidate(request.method(), uri.getHost(), uri.getRawPath());
    }

    /**
     * For {@code send}: {@code request} with its body read ahead, when recognition needs a body the
     * client cannot hand over twice (see {@link #readAhead}); waits for it here. Else {@code request}.
     */
    public static HttpRequest readAhead(HttpRequest request) {
        HeldBody held = readAhead(request, null);
        if (held == null) {
            return request;
        }
        try {
            held.settled().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the call goes on with what came: the client sees the interrupt itself
        } catch (Throwable t) {
            // settled() only ever completes with the body
        }
        return withHeldBody(request, held);
    }

    /**
     * Starts reading the body of {@code request} ahead, or returns {@code null} when it need not or
     * cannot be: the JDK's in-memory publishers ({@code ofString}, {@code ofByteArray},
     * {@code noBody}) are read as they are, any other publisher ({@code fromPublisher},
     * {@code ofInputStream}, {@code ofFile}, {@code ofByteArrays}, {@code concat}, the program's
     * own) only for a request recognition would read the body of (method, host and path first:
     * nothing else is touched), and never one that declares an empty body.
     */
    private static HeldBody readAhead(HttpRequest request, Executor executor) {
        try {
            Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
            if (publisher.isEmpty() || publisher.get().contentLength() == 0 || inMemory(publisher.get())
                    || publisher.get() instanceof HeldBodyPublisher
                    || !LlmCalls.readsBody(request.method(), request.uri(), new JdkHeaders(request.headers()))) {
                return null;
            }
            HeldBody held = new HeldBody(publisher.get());
            held.start(UnreadBodies.waitMillis(), executor);
            return held;
        } catch (Throwable t) {
            AgentLog.warnOnce("jdk-read-ahead:" + t.getClass().getName(),
                    "cannot read a java.net.http request body ahead; the call goes on as the program built it", t);
            return null;
        }
    }

    /** {@code request} with the held body in place of its publisher; everything else as it was. */
    private static HttpRequest withHeldBody(HttpRequest request, HeldBody held) {
        HttpRequest.BodyPublisher original = request.bodyPublisher().get();
        return HttpRequest.newBuilder(request, RequestRewrite.ALL_HEADERS)
                .method(request.method(), new HeldBodyPublisher(original, held)).build();
    }

    /** True for the JDK's in-memory publishers, which hand every subscriber the same bytes at once. */
    static boolean inMemory(HttpRequest.BodyPublisher publisher) {
        for (Class<?> c = publisher.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(IN_MEMORY) || c.getName().equals(EMPTY)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The call to track, or {@code null}; throws only a deliberate denial. A body read ahead but
     * not whole is reported first ({@link UnreadBodies}); a denial cancels the program's publisher.
     */
    public static Object begin(HttpRequest request) {
        HeldBody held = request.bodyPublisher().orElse(null) instanceof HeldBodyPublisher p ? p.held() : null;
        try {
            Exchange exchange = exchange(request);
            UnreadBodies.Cause unread = held == null ? null : held.unread();
            if (unread != null) {
                UnreadBodies.report(CLIENT, unread, exchange);
            }
            return LlmCalls.begin(exchange);
        } catch (NullSpendException denial) {
            if (held != null) {
                held.cancel();
            }
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("jdk-begin:" + t.getClass().getName(), "cannot inspect a java.net.http request; it goes on untracked", t);
            return null;
        }
    }

    /**
     * {@code {instead, call}} for the async advice; never throws. A body to read ahead is read on
     * the client's executor (or {@link AsyncPool}), and the call is sent again once it is settled
     * ({@link SendHeld}); a denial is a failed future.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Object[] beginAsync(HttpClient client, HttpRequest request, HttpResponse.BodyHandler handler,
                                      HttpResponse.PushPromiseHandler pushPromises) {
        if (!mayTrack(request)) {
            return NOT_TRACKED;
        }
        Executor executor = client.executor().orElse(AsyncPool.INSTANCE);
        HeldBody held = readAhead(request, executor);
        if (held != null) {
            SendHeld send = new SendHeld(client, withHeldBody(request, held), handler, pushPromises);
            held.settled().thenRunAsync(send, executor);
            return new Object[] {send.future(), null};
        }
        try {
            Object call = begin(request);
            return call == null ? NOT_TRACKED : new Object[] {null, call};
        } catch (NullSpendException denial) {
            return new Object[] {CompletableFuture.failedFuture(denial), null};
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
                HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofByteArray(rewrite.body());
                // A body of unknown length stays chunked: only the bytes change, not how they are framed.
                boolean chunked = request.bodyPublisher().isPresent() && request.bodyPublisher().get().contentLength() < 0;
                copy.method(request.method(), chunked ? HttpRequest.BodyPublishers.fromPublisher(body) : body);
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

    /** The future {@code sendAsync} returns: the one begun instead (a denial, a body read ahead), else the client's own, watched for failure. */
    public static CompletableFuture<?> endAsync(Object[] state, CompletableFuture<?> result, Throwable thrown) {
        if (state[INSTEAD] != null) {
            return (CompletableFuture<?>) state[INSTEAD];
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
