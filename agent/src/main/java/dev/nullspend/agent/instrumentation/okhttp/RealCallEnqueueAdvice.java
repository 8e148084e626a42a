package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.core.EnqueuedAttribution;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code RealCall.enqueue(Callback)}, on the program's thread: the
 * interceptor runs the call on OkHttp's dispatcher, where it resumes the attribution remembered here.
 */
public final class RealCallEnqueueAdvice {
    private RealCallEnqueueAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object call) {
        EnqueuedAttribution.remember(call);
    }
}
