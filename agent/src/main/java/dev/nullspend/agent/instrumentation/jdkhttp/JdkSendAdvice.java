package dev.nullspend.agent.instrumentation.jdkhttp;

import net.bytebuddy.asm.Advice;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Inlined into {@code HttpClientImpl.send}. A denial thrown by {@link JdkHttpAdapter#begin}
 * leaves enter advice, so {@code send} ends before any byte is written; nothing else can.
 */
public final class JdkSendAdvice {
    private JdkSendAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) HttpRequest request,
                               @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
        Object call = JdkHttpAdapter.begin(request);
        if (call != null) {
            handler = JdkHttpAdapter.tee(handler, call);
        }
        return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object call, @Advice.Thrown Throwable thrown) {
        if (call != null && thrown != null) {
            JdkHttpAdapter.failed(call, thrown);
        }
    }
}
