package dev.nullspend.agent.instrumentation.netty;

import net.bytebuddy.asm.Advice;

/** Exit of a {@code DefaultChannelPipeline} add or replace: the new handler is its last argument. */
public final class PipelineAddAdvice {
    private PipelineAddAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pipeline, @Advice.AllArguments Object[] args) {
        NettyPipelines.added(pipeline, args[args.length - 1]);
    }
}
