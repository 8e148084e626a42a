package dev.nullspend.agent.instrumentation.urlconnection;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it: {@code
 * sun.net.www.protocol.http.HttpURLConnection}, which also serves https (the
 * {@code HttpsURLConnectionImpl} a program holds only delegates to a
 * {@code DelegateHttpsURLConnection}, a subclass that inherits the woven methods, so a call is
 * seen once). Woven: {@code getOutputStream} (a streamed body is held until complete),
 * {@code getInputStream} (decision, response, tee), {@code getErrorStream} (a NullSpend proxy's
 * answer read ahead), {@code disconnect}; and {@code java.net.HttpURLConnection.getResponseCode},
 * which would answer a proxy's denial with its status. Both classes are in {@code java.base} on the
 * boot loader, which sees the agent jar: the adapter needs no helpers. The JDK may load them
 * before the instrumentation is ready; they are retransformed then.
 */
public final class UrlConnectionInstrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.urlconnection.";
    private static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
    private static final String API = "java.net.HttpURLConnection";

    public UrlConnectionInstrumentation() {
        super("http-url-connection", List.of(CONNECTION, API));
    }

    /** The JDK's connection classes only: {@code java.net} would cover every socket's stack. */
    @Override
    public List<String> clientPackages() {
        return List.of("sun.net.www.protocol.http", "sun.net.www.protocol.https");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of();
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(CONNECTION))
                .transform(advice.advice(List.of(), named("getOutputStream").and(takesArguments(0)).and(isPublic()),
                        PKG + "OutputStreamAdvice"))
                .transform(advice.advice(List.of(), named("getInputStream").and(takesArguments(0)).and(isPublic()),
                        PKG + "InputStreamAdvice"))
                .transform(advice.advice(List.of(), named("getErrorStream").and(takesArguments(0)),
                        PKG + "ErrorStreamAdvice"))
                .transform(advice.advice(List.of(), named("disconnect").and(takesArguments(0)), PKG + "DisconnectAdvice"))
                .type(named(API))
                .transform(advice.advice(List.of(), named("getResponseCode").and(takesArguments(0)),
                        PKG + "ResponseCodeAdvice"));
    }
}
