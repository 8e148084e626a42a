package dev.nullspend.agent.instrumentation.jdkhttp;

import net.bytebuddy.asm.Advice;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Inlined into the three-argument {@code HttpClientImpl.sendAsync}. A denial skips the method
 * body (nothing is sent) and is returned as a failed future, as the async contract requires; so
 * is a body still being read ahead: the future of a send that follows once it is held.
 */
public final class JdkSendAsyncAdvice {
    private JdkSendAsyncAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, skipOnIndex = JdkHttpAdapter.INSTEAD)
    public static Object[] enter(@Advice.This HttpClient client,
                                 @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
                                 @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler,
                                 @Advice.Argument(2) HttpResponse.PushPromiseHandler<?> pushPromises) {
        Object[] state = JdkHttpAdapter.beginAsync(client, request, handler, pushPromises);
        if (state[JdkHttpAdapter.CALL] != null) {
            request = JdkHttpAdapter.rewrite(request, state[JdkHttpAdapter.CALL]);
            handler = JdkHttpAdapter.tee(handler, state[JdkHttpAdapter.CALL]);
        }
        return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object[] state, @Advice.Thrown Throwable thrown,
                            @Advice.Return(readOnly = false) CompletableFuture<?> result) {
        result = JdkHttpAdapter.endAsync(state, result, thrown);
    }
}
