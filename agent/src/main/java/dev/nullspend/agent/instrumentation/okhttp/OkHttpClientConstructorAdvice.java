package dev.nullspend.agent.instrumentation.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.OkHttpClient;

/**
 * Inlined at the start of {@code OkHttpClient(OkHttpClient.Builder)}, before the constructor
 * copies the builder's interceptors: the new client (and every later one from this builder or
 * from {@code newBuilder()}) gets the tracking interceptor exactly once.
 */
public final class OkHttpClientConstructorAdvice {
    private OkHttpClientConstructorAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) OkHttpClient.Builder builder) {
        NullSpendInterceptor.addTo(builder);
    }
}
