package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.http.HttpClient} (JDK 11+). Both public entry points of
 * {@code jdk.internal.net.http.HttpClientImpl} are woven: {@code send(request, handler)} and the
 * three-argument {@code sendAsync} (the two-argument one delegates to it). They do not call each
 * other — both go to a private four-argument {@code sendAsync} (JDK 17 to 25) — so one call is
 * seen once. {@code HttpClientFacade} only delegates to the implementation and is not touched.
 */
public final class JdkHttpClientInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.jdkhttp.";

    public JdkHttpClientInstrumentation() {
        super("java-http-client", List.of("jdk.internal.net.http.HttpClientImpl"));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "JdkHeaders", PKG + "RequestBodyCopier", PKG + "TeeSubscription",
                PKG + "TeeBodySubscriber", PKG + "ProxyDenialSubscriber", PKG + "TeeBodyHandler", PKG + "HeldBody",
                PKG + "HeldBodyPublisher", PKG + "SendHeld", PKG + "AsyncPool", PKG + "JdkHttpAdapter");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named("jdk.internal.net.http.HttpClientImpl"))
                .transform(advice.advice(helperClassNames(),
                        named("send").and(takesArguments(2)).and(isPublic()), PKG + "JdkSendAdvice"))
                .transform(advice.advice(helperClassNames(),
                        named("sendAsync").and(takesArguments(3)).and(isPublic()), PKG + "JdkSendAsyncAdvice"));
    }
}
