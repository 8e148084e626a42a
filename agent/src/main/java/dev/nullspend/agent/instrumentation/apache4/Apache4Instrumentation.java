package dev.nullspend.agent.instrumentation.apache4;

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
 * Apache HttpClient 4.3+ classic ({@code org.apache.http.impl.client}). Every {@code execute}
 * overload of {@code CloseableHttpClient}, those with a {@code ResponseHandler} included, ends in
 * the protected {@code doExecute(HttpHost, HttpRequest, HttpContext)}; in httpclient 4.5 it is
 * implemented by exactly three classes, woven here by name:
 * <ul>
 *   <li>{@code InternalHttpClient}: what {@code HttpClients.custom()/createDefault()/createSystem()}
 *       and {@code HttpClientBuilder} build;</li>
 *   <li>{@code MinimalHttpClient}: {@code HttpClients.createMinimal()};</li>
 *   <li>{@code AbstractHttpClient}, whose {@code doExecute} is final: the deprecated
 *       {@code DefaultHttpClient}, {@code SystemDefaultHttpClient}, {@code ContentEncodingHttpClient}.</li>
 * </ul>
 * Exact names instead of a {@code hasSuperType(CloseableHttpClient)} scan: a name is one hash
 * lookup per loaded class, whereas a hierarchy matcher resolves the supertypes of every class
 * the program loads; the exact names are also what the class-load gate holds back until the
 * advice is ready. A program's own {@code CloseableHttpClient} subclass either delegates to one
 * of these (and is seen there) or has its own transport (which this module does not claim).
 */
public final class Apache4Instrumentation extends InstrumentationModule {
    private static final String PKG = "dev.nullspend.agent.instrumentation.apache4.";
    private static final String[] CLIENTS = {
            "org.apache.http.impl.client.InternalHttpClient",
            "org.apache.http.impl.client.MinimalHttpClient",
            "org.apache.http.impl.client.AbstractHttpClient"};

    public Apache4Instrumentation() {
        super("apache-httpclient-4", List.of(CLIENTS));
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(PKG + "Apache4TeeEntity", PKG + "Apache4Adapter");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(namedOneOf(CLIENTS))
                .transform(advice.advice(helperClassNames(),
                        named("doExecute").and(takesArguments(3)).and(not(isAbstract()))
                                .and(takesArgument(0, named("org.apache.http.HttpHost")))
                                .and(takesArgument(1, named("org.apache.http.HttpRequest"))),
                        PKG + "Apache4ExecuteAdvice"));
    }
}
