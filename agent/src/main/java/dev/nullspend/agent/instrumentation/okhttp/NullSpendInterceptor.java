package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpendException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The application interceptor every instrumented {@code OkHttpClient} carries (a helper, defined
 * in OkHttp's class loader). For a request the core recognises as an LLM call it admits the call
 * before anything is sent, sends it with the call's rewrite (if any), then hands the response body
 * to the program through a tee; any other request goes to {@code chain.proceed} untouched. A
 * NullSpend proxy's denial leaves as the same {@code IOException} carrier as the agent's own.
 */
public final class NullSpendInterceptor implements Interceptor {
    /** Stateless: one instance serves every client of this OkHttp copy. */
    private static final NullSpendInterceptor INSTANCE = new NullSpendInterceptor();

    private NullSpendInterceptor() {
    }

    /**
     * Appends the interceptor to {@code builder} unless it already holds it (a builder from
     * {@code newBuilder()} copied it; a reused builder kept it). Runs for every client built, so
     * it only scans the few interceptors of the list.
     */
    public static void addTo(OkHttpClient.Builder builder) {
        try {
            List<Interceptor> interceptors = builder.interceptors();
            if (!holds(interceptors)) {
                interceptors.add(INSTANCE);
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-add:" + t.getClass().getName(),
                    "cannot add the NullSpend interceptor to an OkHttpClient; its calls go on untracked", t);
        }
    }

    /**
     * A client's interceptors as its calls use them: the list itself when it holds the interceptor
     * (every client built under the agent), else a copy with it at the end, as if the client had been
     * built under the agent. Only a client built before the agent was attached lacks it.
     */
    public static List<Interceptor> withInterceptor(List<Interceptor> interceptors) {
        if (interceptors == null || holds(interceptors)) {
            return interceptors;
        }
        List<Interceptor> all = new ArrayList<>(interceptors.size() + 1);
        all.addAll(interceptors);
        all.add(INSTANCE);
        return Collections.unmodifiableList(all);
    }

    private static boolean holds(List<Interceptor> interceptors) {
        for (int i = 0, n = interceptors.size(); i < n; i++) {
            if (interceptors.get(i) instanceof NullSpendInterceptor) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!mayTrack(request)) {
            EnqueuedAttribution.forget(chain.call());
            return chain.proceed(request); // nothing made for a call that is surely no LLM call
        }
        LlmCall call;
        Attribution.Scope enqueuedIn = resume(chain);
        try {
            call = begin(request);
        } finally {
            if (enqueuedIn != null) {
                enqueuedIn.close();
            }
        }
        if (call == null) {
            return chain.proceed(request);
        }
        Response response;
        try {
            response = chain.proceed(rewrite(request, call));
        } catch (IOException | RuntimeException | Error e) {
            call.onFailure(e);
            throw e;
        }
        NullSpendException denial = proxyDenial(response, call);
        if (denial != null) {
            response.close();
            throw new NullSpendDeniedIOException(denial);
        }
        return tee(response, call);
    }

    /**
     * False for a request {@link LlmCalls#begin} would surely leave alone ({@link LlmCalls#isCandidate}).
     * The URL's string is the field {@code HttpUrl} keeps (its {@code encodedPath()} and {@code uri()}
     * would be made anew): nothing is allocated.
     */
    private static boolean mayTrack(Request request) {
        HttpUrl url = request.url();
        return LlmCalls.isCandidate(request.method(), url.host(), url.toString());
    }

    /** The attribution of the program's scope where it enqueued this call, put in force here; or {@code null}. */
    private static Attribution.Scope resume(Chain chain) {
        try {
            return EnqueuedAttribution.resume(chain.call());
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-attribution:" + t.getClass().getName(),
                    "cannot resume the attribution of an enqueued OkHttp call; it is checked and billed without it", t);
            return null;
        }
    }

    /**
     * The NullSpend proxy's denial in {@code response}, or {@code null}. Only a possible denial
     * (a small error body) is read ahead, through {@code peekBody}, which leaves the body to the
     * program when it is no denial.
     */
    private static NullSpendException proxyDenial(Response response, LlmCall call) {
        try {
            OkHttpHeaders headers = new OkHttpHeaders(response.headers(), null);
            if (!call.mayBeDenial(response.code(), headers)) {
                return null;
            }
            byte[] body = response.peekBody(ProxyDenials.MAX_BODY + 1L).bytes();
            return call.denial(response.code(), headers, body);
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-denial:" + t.getClass().getName(),
                    "cannot read a NullSpend proxy response; the program gets it untouched", t);
            return null;
        }
    }

    /** The call to track, or {@code null}; a denial leaves as its {@code IOException} carrier. */
    private static LlmCall begin(Request request) throws NullSpendDeniedIOException {
        try {
            return LlmCalls.begin(new Exchange(request.method(), request.url().uri(),
                    new OkHttpHeaders(request.headers(), request.body()), new OkHttpBodyCopier(request.body()),
                    declaredLength(request)));
        } catch (NullSpendException denial) {
            throw new NullSpendDeniedIOException(denial);
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-begin:" + t.getClass().getName(),
                    "cannot inspect an OkHttp request; it goes on untracked", t);
            return null;
        }
    }

    /** The request to send: the program's own, or a copy with the call's {@link RequestRewrite} applied. */
    private static Request rewrite(Request request, LlmCall call) {
        RequestRewrite rewrite = call.rewrite();
        if (rewrite == null) {
            return request;
        }
        try {
            Request.Builder copy = request.newBuilder();
            for (int i = 0; i < rewrite.headerCount(); i++) {
                copy.addHeader(rewrite.headerName(i), rewrite.headerValue(i));
            }
            if (rewrite.replacesBody() && request.body() != null) {
                copy.method(request.method(), new RewrittenRequestBody(request.body().contentType(), rewrite.body()));
            }
            return copy.build();
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-rewrite:" + t.getClass().getName(),
                    "cannot rewrite an OkHttp request; it is sent as the program built it", t);
            return request;
        }
    }

    private static long declaredLength(Request request) throws IOException {
        return request.body() == null ? 0L : request.body().contentLength();
    }

    /** The response with its body behind the tee, or as it is when its body need not be read. */
    private static Response tee(Response response, LlmCall call) {
        ResponseSink sink = call.onResponse(response.code(), new OkHttpHeaders(response.headers(), null));
        if (sink == null) {
            return response;
        }
        try {
            ResponseBody body = response.body();
            if (body == null) {
                sink.onComplete();
                return response;
            }
            return response.newBuilder().body(new TeeResponseBody(body, sink, call.responseFilter())).build();
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-tee:" + t.getClass().getName(),
                    "cannot read an OkHttp response for usage; it is billed at its estimate", t);
            sink.onError(t);
            return response;
        }
    }
}
