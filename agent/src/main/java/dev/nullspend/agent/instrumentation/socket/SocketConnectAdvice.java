package dev.nullspend.agent.instrumentation.socket;

import dev.nullspend.agent.unseen.LlmConnections;
import net.bytebuddy.asm.Advice;

import java.net.SocketAddress;

/**
 * Inlined at the end of the JDK's connect methods, on a normal return only: a connection that
 * failed carried no traffic. Never disturbs the connect ({@code suppress}).
 */
public final class SocketConnectAdvice {
    private SocketConnectAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) SocketAddress remote, @Advice.Origin("#t") String connector) {
        LlmConnections.connected(remote, connector);
    }
}
