package dev.nullspend.agent.instrumentation.urlconnection;

import net.bytebuddy.asm.Advice;

import java.net.HttpURLConnection;

/**
 * Inlined at the exit of {@code java.net.HttpURLConnection.getResponseCode()}, which catches what
 * {@code getInputStream} throws and answers with the status line when there is one: a NullSpend
 * proxy's denial (a 429 or 403 with a status line) is thrown instead.
 */
public final class ResponseCodeAdvice {
    private ResponseCodeAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This HttpURLConnection connection, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = UrlConnectionAdapter.responseCode(connection, thrown);
    }
}
