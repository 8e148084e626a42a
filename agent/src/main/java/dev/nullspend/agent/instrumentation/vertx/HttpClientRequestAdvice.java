package dev.nullspend.agent.instrumentation.vertx;

import net.bytebuddy.asm.Advice;

/** Exit of {@code HttpClientImpl.request(RequestOptions)}, on the program's thread: the scope follows the request. */
public final class HttpClientRequestAdvice {
    private HttpClientRequestAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object future) {
        ChannelScope.follow(future);
    }
}
