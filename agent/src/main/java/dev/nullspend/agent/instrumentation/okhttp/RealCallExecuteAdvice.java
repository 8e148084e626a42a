package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the exit of {@code RealCall.execute()}: a denial the interceptor had to carry in an
 * {@code IOException} reaches the synchronous caller as the typed {@code NullSpendException} itself.
 */
public final class RealCallExecuteAdvice {
    private RealCallExecuteAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null) {
            thrown = NullSpendDeniedIOException.unwrap(thrown);
        }
    }
}
