package dev.nullspend.agent.instrumentation.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.Interceptor;

import java.util.List;

/**
 * Inlined at the exit of {@code OkHttpClient.interceptors()}, which each call reads to build its
 * interceptor chain: a client built before the agent was attached gets the tracking interceptor
 * there, since its constructor ran without it.
 */
public final class OkHttpClientInterceptorsAdvice {
    private OkHttpClientInterceptorsAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false) List<Interceptor> interceptors) {
        interceptors = NullSpendInterceptor.withInterceptor(interceptors);
    }
}
