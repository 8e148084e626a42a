package dev.nullspend.agent.instrumentation.vertx;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Vert.x's {@code HttpClient} (and the {@code WebClient} on it). Over HTTP/1.1 its calls are costed and
 * checked by the {@code netty} module, at the codec, on the event loop; this module only carries the
 * program's attribution scope there. Every request starts at {@code HttpClientImpl.request(RequestOptions)},
 * on the thread that makes it: exit advice adds a {@link ChannelScope} to the returned future, which, when
 * the request has its connection (before the program's own callbacks can send it), leaves the scope on
 * that connection's channel for the codec-level handler.
 */
public final class VertxInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.vertx.";
    private static final String CLIENT = "io.vertx.core.http.impl.HttpClientImpl";

    public VertxInstrumentation() {
        super("vertx", List.of(CLIENT));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "ChannelScope");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(CLIENT))
                .transform(advice.advice(helperClassNames(),
                        named("request").and(takesArguments(1)).and(takesArgument(0, named("io.vertx.core.http.RequestOptions"))),
                        PKG + "HttpClientRequestAdvice"));
    }
}
