package dev.nullspend.agent.instrumentation.jdkhttp;

import net.bytebuddy.asm.Advice;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Inlined into {@code HttpClientImpl.send}. A body recognition needs that the client cannot hand
 * over twice is read ahead first ({@link JdkHttpAdapter#readAhead}). A denial thrown by {@link JdkHttpAdapter#begin}
 * leaves enter advice, so {@code send} ends before any byte is written. A NullSpend proxy's
 * denial, which {@code send} would throw wrapped in an {@code IOException}, leaves as itself.
 */
public final class JdkSendAdvice {
    private JdkSendAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request,
                               @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
        if (!JdkHttpAdapter.mayTrack(request)) {
            return null; // nothing made for a call that is surely no LLM call
        }
        request = JdkHttpAdapter.readAhead(request);
        Object call = JdkHttpAdapter.begin(request);
        if (call != null) {
            request = JdkHttpAdapter.rewrite(request, call);
            handler = JdkHttpAdapter.tee(handler, call);
        }
        return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object call, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (call != null && thrown != null) {
            thrown = JdkHttpAdapter.failed(call, thrown);
        }
    }
}
