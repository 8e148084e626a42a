package dev.nullspend.agent.instrumentation.urlconnection;

import net.bytebuddy.asm.Advice;

import java.net.HttpURLConnection;

/** Inlined at the entry of {@code disconnect()}: a response body not read to its end was cut. */
public final class DisconnectAdvice {
    private DisconnectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This HttpURLConnection connection) {
        UrlConnectionAdapter.disconnected(connection);
    }
}
