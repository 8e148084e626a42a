package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5.x ({@code org.apache.hc.client5}), classic and async. Both APIs have one
 * protected choke point that every public {@code execute} overload reaches, implemented in
 * httpclient5 by exactly these classes (woven by name: one hash lookup per loaded class, and the names
 * the class-load gate holds back; see {@code Apache4Instrumentation} for why not a hierarchy scan):
 * <ul>
 *   <li>classic {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}:
 *       {@code InternalHttpClient} ({@code HttpClients.custom()/createDefault()/createSystem()}) and
 *       {@code MinimalHttpClient} ({@code HttpClients.createMinimal()});</li>
 *   <li>async {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer, HandlerFactory,
 *       HttpContext, FutureCallback)}: {@code InternalAbstractHttpAsyncClient} (base of
 *       {@code InternalHttpAsyncClient} and {@code InternalH2AsyncClient}, built by
 *       {@code HttpAsyncClients.custom()/createDefault()/createHttp2…}) and
 *       {@code AbstractMinimalHttpAsyncClientBase} (base of {@code MinimalHttpAsyncClient},
 *       {@code MinimalH2AsyncClient}).</li>
 * </ul>
 * The woven signatures are the same in 5.1.3 and 5.4.4 (both run against the agent).
 */
public final class Apache5Instrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.apache5.";
    private static final String[] CLASSIC = {
            "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
            "org.apache.hc.client5.http.impl.classic.MinimalHttpClient"};
    private static final String[] ASYNC = {
            "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
            "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase"};
    /** One list for classic and async: the async side reads headers through the classic {@code Apache5Adapter}. */
    private static final List<String> HELPERS = List.of(
            PKG + "Apache5Requests", PKG + "Apache5TeeEntity", PKG + "Apache5Adapter",
            PKG + "Apache5ProducerBody", PKG + "Apache5AsyncRequest", PKG + "Apache5TeeConsumer",
            PKG + "Apache5TeeConsumer$HeldResponse", PKG + "Apache5AsyncAdapter");

    public Apache5Instrumentation() {
        super("apache-httpclient-5", List.of(CLASSIC[0], CLASSIC[1], ASYNC[0], ASYNC[1]));
    }

    @Override
    public List<String> helperClassNames() {
        return HELPERS;
    }

    /** The async client connects on httpcore5's I/O reactor threads, where no client5 frame is on the stack. */
    @Override
    public List<String> clientPackages() {
        return List.of("org.apache.hc");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder
                .type(namedOneOf(CLASSIC))
                .transform(advice.advice(HELPERS,
                        named("doExecute").and(takesArguments(3)).and(not(isAbstract()))
                                .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
                                .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest"))),
                        PKG + "Apache5ExecuteAdvice"))
                .type(namedOneOf(ASYNC))
                .transform(advice.advice(HELPERS,
                        named("doExecute").and(takesArguments(6)).and(not(isAbstract()))
                                .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncRequestProducer")))
                                .and(takesArgument(2, named("org.apache.hc.core5.http.nio.AsyncResponseConsumer")))
                                .and(takesArgument(5, named("org.apache.hc.core5.concurrent.FutureCallback"))),
                        PKG + "Apache5AsyncExecuteAdvice"));
    }
}
