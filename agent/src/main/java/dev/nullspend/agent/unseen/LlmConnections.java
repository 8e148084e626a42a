package dev.nullspend.agent.unseen;

import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.ProviderHosts;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * The {@code socket-connect} watch: every TCP connection the program makes
 * ({@code java.net.Socket}, {@code SocketChannel}) is checked against the LLM hosts the agent
 * knows (the provider families' hosts and {@code nullspend.providers.extra-hosts}). A connection
 * to one, from a stack no instrumentation that is on covers, is LLM traffic the agent cannot
 * cost: said once per host and stack, counted ({@link UnseenTraffic}).
 *
 * <p>Every other connection costs a host-name look-up and nothing else: the address's host string
 * is already there ({@link InetSocketAddress#getHostString()}, never a reverse DNS look-up), and
 * no object is made. The stack is walked only on a match.
 */
public final class LlmConnections {
    public static final String MODULE = "socket-connect";

    private static volatile ProviderHosts hosts;

    private LlmConnections() {
    }

    /** Arms the watch with the LLM hosts; until then connections are not looked at. */
    public static void arm(ProviderHosts llmHosts) {
        hosts = llmHosts;
    }

    /**
     * Called by the advice after a connect returned (not after one that failed).
     *
     * @param connector the class whose connect ran ({@code sun.nio.ch.NioSocketImpl}, {@code sun.nio.ch.SocketChannelImpl})
     */
    public static void connected(SocketAddress remote, String connector) {
        ProviderHosts h = hosts;
        if (h == null || !(remote instanceof InetSocketAddress)) {
            return;
        }
        try {
            InetSocketAddress address = (InetSocketAddress) remote;
            String host = hostOf(address);
            if (host != null && h.vendorOf(host, address.getPort(), null) != null) {
                seen(host, connector);
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("socket-connect:" + t.getClass().getName(),
                    "internal error while checking a connection; it goes on unwatched", t);
        }
    }

    /** The host as the provider hosts spell it: lower case, an IPv6 literal in brackets; null when none. */
    private static String hostOf(InetSocketAddress address) {
        String host = address.getHostString();
        if (host == null) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT); // the same string when already lower case
        return host.indexOf(':') >= 0 && host.charAt(0) != '[' ? "[" + host + "]" : host;
    }

    private static void seen(String host, String connector) {
        ClientStacks.Stack stack = ClientStacks.current().ofCurrentThread();
        if (stack.instrumented()) {
            return;
        }
        String api = connector.endsWith("SocketChannelImpl") ? "java.nio.channels.SocketChannel" : "java.net.Socket";
        String library = stack.library();
        boolean off = stack.module() != null;
        String key = off ? ConfigKeys.instrumentationEnabled(stack.module()) : null;
        String why = off ? "instrumentation " + stack.module() + " turned off" : "not instrumented";
        String what = off ? "whose instrumentation is turned off (" + key + "=false)" : "which the agent does not instrument";
        String todo = off ? "Remove " + key + " to cost them" : "Make them through an instrumented client"
                + " (docs/supported.md) or the NullSpend proxy (" + ConfigKeys.PROXY_URL + ")";
        UnseenTraffic.seen(new UnseenTraffic.Cause("connect|" + host + "|" + library, "connection",
                "to " + host + " from " + library + " (" + why + ")",
                "LLM traffic not costed: a connection to " + host + " from " + library + " (" + api + "), " + what
                        + ": its calls are neither costed nor checked. " + todo + "; further connections of " + library
                        + " to " + host + " are only counted (exit summary)"));
    }
}
