package dev.nullspend.agent.instrumentation.reactornetty;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * Reactor Netty's {@code HttpClient} 1.3 (1.1 and 1.2 have the same API used here; not run), and Spring's WebClient and RestClient on it. Its calls
 * are costed and checked by the {@code netty} module, at the codec, on the event loop; this module only
 * carries the program's attribution scope there. Every client comes from a static
 * {@code HttpClient.create(…)} or {@code newConnection()} (derived clients keep its configuration):
 * exit advice returns it with {@link ScopeCarrier} added as {@code mapConnect} (the scope in force where
 * the program subscribes goes into the Reactor context) and {@code doOnRequest} (from that context to
 * the channel, just before the request is written). So one call is reported once, by the codec-level
 * handler, whatever the layers above it (WebClient, RestClient, the program's own Reactor code).
 */
public final class ReactorNettyInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.reactornetty.";
    private static final String CLIENT = "reactor.netty.http.client.HttpClient";

    public ReactorNettyInstrumentation() {
        super("reactor-netty", List.of(CLIENT));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "ContextScope", PKG + "ScopeCarrier");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(CLIENT))
                .transform(advice.advice(helperClassNames(),
                        isStatic().and(named("create").or(named("newConnection"))).and(returns(named(CLIENT))),
                        PKG + "HttpClientCreateAdvice"));
    }
}
