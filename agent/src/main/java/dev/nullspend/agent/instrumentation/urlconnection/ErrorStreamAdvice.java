package dev.nullspend.agent.instrumentation.urlconnection;

import net.bytebuddy.asm.Advice;

import java.io.InputStream;
import java.net.HttpURLConnection;

/** Inlined at the exit of {@code getErrorStream()}: a NullSpend proxy answer read ahead is given back first. */
public final class ErrorStreamAdvice {
    private ErrorStreamAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This HttpURLConnection connection, @Advice.Return(readOnly = false) InputStream in) {
        in = UrlConnectionAdapter.errorStream(connection, in);
    }
}
