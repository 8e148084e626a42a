package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp 3.x, 4.x and 5.x (compiled against 3.14.9, using only API the three share).
 *
 * <p><b>Tracking.</b> Every {@code OkHttpClient} is built by its {@code OkHttpClient(Builder)}
 * constructor, which copies the builder's interceptor list. On entering it we append one
 * {@link NullSpendInterceptor} to the builder unless it already holds one: a client made with
 * {@code newBuilder()} or from a reused builder inherits the first and gets no second, so one
 * call is seen once. A client built before the agent was attached to the running JVM has none:
 * its {@code interceptors()}, which every call reads to build its chain, then returns the list
 * with the interceptor at the end, as it would have had. It is an application interceptor, so it runs once per logical call (above
 * retries and redirects), after the program's own interceptors, and sees the body as the program
 * gets it (OkHttp's transparent gzip already undone).
 *
 * <p><b>Denials.</b> An interceptor can only fail a call cleanly with an {@code IOException}: for
 * {@code enqueue()} OkHttp hands that to {@code Callback.onFailure}, whereas an unchecked exception
 * reaches the callback only as {@code IOException("canceled due to …")} with the denial suppressed,
 * and is then rethrown on the dispatcher thread (3.14.9 to 5.x). So the interceptor throws the
 * denial inside a {@link NullSpendDeniedIOException}, before {@code chain.proceed}: nothing is sent.
 * Async callers get that carrier, whose cause is the typed denial; for {@code execute()} the exit
 * advice on {@code RealCall.execute()} (3.x {@code okhttp3.RealCall}, 4.x/5.x
 * {@code okhttp3.internal.connection.RealCall}) replaces it with the typed denial itself, as the
 * synchronous contract requires. The carrier references only JDK and API types, so it is no
 * helper: one copy, on the boot class path.
 *
 * <p><b>Attribution.</b> {@code enqueue()} runs the interceptor on the dispatcher thread, outside the
 * program's attribution scope: advice on {@code RealCall.enqueue(Callback)} remembers the scope's
 * attribution for the call ({@code EnqueuedAttribution}), and the interceptor resumes it while the call
 * is admitted, so its session, customer and tag limits apply and its event carries them.
 */
public final class OkHttpInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.okhttp.";
    private static final String CLIENT = "okhttp3.OkHttpClient";
    private static final String REAL_CALL_3 = "okhttp3.RealCall";
    private static final String REAL_CALL_4 = "okhttp3.internal.connection.RealCall";

    public OkHttpInstrumentation() {
        super("okhttp", List.of(CLIENT, REAL_CALL_3, REAL_CALL_4));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "OkHttpHeaders", PKG + "BodyPrefixSink", PKG + "OkHttpBodyCopier", PKG + "TeeSource",
                PKG + "TeeResponseBody", PKG + "RewrittenRequestBody", PKG + "NullSpendInterceptor");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(CLIENT))
                .transform(advice.advice(helperClassNames(),
                        isConstructor().and(takesArguments(1)).and(takesArgument(0, named(CLIENT + "$Builder"))),
                        PKG + "OkHttpClientConstructorAdvice"))
                .transform(advice.advice(helperClassNames(), named("interceptors").and(takesArguments(0)),
                        PKG + "OkHttpClientInterceptorsAdvice"))
                .type(named(REAL_CALL_3).or(named(REAL_CALL_4)))
                .transform(advice.advice(List.of(), named("execute").and(takesArguments(0)),
                        PKG + "RealCallExecuteAdvice"))
                .transform(advice.advice(List.of(), named("enqueue").and(takesArguments(1)),
                        PKG + "RealCallEnqueueAdvice"));
    }
}
