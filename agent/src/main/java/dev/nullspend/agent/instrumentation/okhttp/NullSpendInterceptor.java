package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.core.EnqueuedAttribution;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpendException;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.List;

/**
 * The application interceptor every instrumented {@code OkHttpClient} carries (a helper, defined
 * in OkHttp's class loader). For a request the core recognises as an LLM call it admits the call
 * before anything is sent, then hands the response body to the program through a tee; any other
 * request goes to {@code chain.proceed} untouched.
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
            for (int i = 0, n = interceptors.size(); i < n; i++) {
                if (interceptors.get(i) instanceof NullSpendInterceptor) {
                    return;
                }
            }
            interceptors.add(INSTANCE);
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-add:" + t.getClass().getName(),
                    "cannot add the NullSpend interceptor to an OkHttpClient; its calls go on untracked", t);
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
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
            response = chain.proceed(request);
        } catch (IOException | RuntimeException | Error e) {
            call.onFailure(e);
            throw e;
        }
        return tee(response, call);
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
            return response.newBuilder().body(new TeeResponseBody(body, sink)).build();
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-tee:" + t.getClass().getName(),
                    "cannot read an OkHttp response for usage; it is billed at its estimate", t);
            sink.onError(t);
            return response;
        }
    }
}
