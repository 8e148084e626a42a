package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Netty 4.1 / 4.2 HTTP clients, at the codec: Reactor Netty (Spring WebClient), Vert.x and the
 * AWS SDK's netty-nio-client all build their HTTP/1.1 client pipelines with an {@code HttpClientCodec};
 * over HTTP/2, Reactor Netty and the AWS SDK give each stream a channel whose pipeline turns its frames
 * into the same {@code HttpObject}s.
 *
 * <p><b>Where.</b> Every handler reaches a pipeline through one of {@code DefaultChannelPipeline}'s
 * {@code addFirst/addLast(group, name, handler)}, {@code addBefore/addAfter(group, base, name, handler)}
 * or {@code replace(…, name, handler)}; exit advice on those hands the new handler to
 * {@link NettyPipelines}, which puts one {@link NettyLlmHandler} directly after each
 * {@code HttpClientCodec} (directly after: Vert.x writes from its own handler's context, and such
 * writes pass only the handlers between it and the codec), or after an HTTP/2 stream channel's frame
 * converter. The handler decides, costs and denies each request on that connection or stream; the
 * libraries above only carry the program's attribution scope to the channel (their own modules). An
 * HTTP/2 connection whose streams are no channels (Vert.x's) passes untouched, and the first one is
 * logged as not costed.
 */
public final class NettyInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.netty.";
    private static final String PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    private static final String GROUP = "io.netty.util.concurrent.EventExecutorGroup";
    private static final String HANDLER = "io.netty.channel.ChannelHandler";

    public NettyInstrumentation() {
        super("netty", List.of(PIPELINE));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "NettyHeaders", PKG + "HeldRequest", PKG + "HeldResponse", PKG + "NettyLlmHandler",
                PKG + "NettyPipelines");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(PIPELINE))
                .transform(advice.advice(helperClassNames(),
                        named("addFirst").or(named("addLast")).and(takesArguments(3)).and(takesArgument(0, named(GROUP)))
                                .or(named("addBefore").or(named("addAfter")).and(takesArguments(4))
                                        .and(takesArgument(0, named(GROUP))))
                                .or(named("replace").and(takesArguments(3)).and(takesArgument(2, named(HANDLER)))),
                        PKG + "PipelineAddAdvice"));
    }
}
