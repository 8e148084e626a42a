package dev.nullspend.agent.instrumentation.socket;

import dev.nullspend.agent.instrumentation.AdviceFactory;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.unseen.LlmConnections;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's two TCP connect points, watched for LLM traffic no other instrumentation costs
 * ({@link LlmConnections}); it costs nothing itself. The same in JDK 17 and 25:
 * <ul>
 *   <li>{@code sun.nio.ch.NioSocketImpl.connect(SocketAddress, int)}: every {@code java.net.Socket}
 *       (also through {@code SocksSocketImpl}, and the JDK's {@code HttpURLConnection}); its
 *       {@code connect(String, int)} and {@code connect(InetAddress, int)} delegate to it;</li>
 *   <li>{@code sun.nio.ch.SocketChannelImpl.connect(SocketAddress)} and
 *       {@code blockingConnect(SocketAddress, long)} (a channel's socket adaptor): NIO clients,
 *       Netty's NIO transport, the JDK's {@code java.net.http}. Neither calls the other.</li>
 * </ul>
 * Both classes are in {@code java.base} and may be loaded before the agent: they never wait at
 * the class-load gate (a program's first socket does not wait for ByteBuddy) and are
 * retransformed once the instrumentation is ready. Connections made before that are not seen.
 * The advice calls only the boot class path: no helpers.
 */
public final class SocketConnectInstrumentation extends InstrumentationModule {
    private static final String SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";
    private static final String CHANNEL_IMPL = "sun.nio.ch.SocketChannelImpl";
    private static final String ADDRESS = "java.net.SocketAddress";
    private static final String ADVICE = "dev.nullspend.agent.instrumentation.socket.SocketConnectAdvice";

    public SocketConnectInstrumentation() {
        super(LlmConnections.MODULE, List.of(SOCKET_IMPL, CHANNEL_IMPL), false);
    }

    @Override
    public List<String> helperClassNames() {
        return List.of();
    }

    /** No client of its own: it never makes a connection instrumented. */
    @Override
    public List<String> clientPackages() {
        return List.of();
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice) {
        return builder.type(named(SOCKET_IMPL))
                .transform(advice.advice(List.of(),
                        named("connect").and(takesArguments(2)).and(takesArgument(0, named(ADDRESS))), ADVICE))
                .type(named(CHANNEL_IMPL))
                .transform(advice.advice(List.of(), namedOneOf("connect", "blockingConnect")
                        .and(takesArgument(0, named(ADDRESS))), ADVICE));
    }
}
