package dev.nullspend.agent.instrumentation.tracktool;

import dev.nullspend.agent.core.ToolCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into every {@code @TrackTool} method: times the call and costs it, also when it throws. */
public final class TrackToolAdvice {
    private TrackToolAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method, @Advice.Enter long start,
                            @Advice.Thrown Throwable thrown,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned) {
        ToolCalls.finish(type, method, start, thrown, returned);
    }
}
