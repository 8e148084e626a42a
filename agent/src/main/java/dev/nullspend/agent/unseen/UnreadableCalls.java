package dev.nullspend.agent.unseen;

import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.exchange.Exchange;

/**
 * Requests on an LLM API's path (a POST to {@code …/chat/completions}, {@code …/messages}, …)
 * to a host no vendor is known for, whose body the client does not let the agent read (a stream,
 * a one-shot body, a client version the agent cannot read bodies of): without the body the agent cannot tell an LLM call from the program's own
 * endpoint, so it neither costs nor checks them. Said once per host and client, counted
 * ({@link UnseenTraffic}).
 */
public final class UnreadableCalls {
    private UnreadableCalls() {
    }

    /** Called on the client's thread, inside its instrumented call: the stack names the client. */
    public static void seen(Exchange exchange) {
        String host = exchange.host();
        int port = exchange.uri().getPort();
        String where = host + (port < 0 ? "" : ":" + port) + exchange.path(); // no query: it may hold a key
        String client = ClientStacks.current().ofCurrentThread().library();
        String reason = exchange.bodyUnreadableReason();
        UnseenTraffic.seen(new UnseenTraffic.Cause("body|" + host + "|" + client + "|" + reason, "call",
                "to " + host + " through " + client + " (request body unreadable: " + reason + "; host unknown)",
                "LLM traffic not costed: a " + exchange.method() + " to " + where + " through " + client
                        + " has a body the agent cannot read (" + reason + "), and " + host + " is no"
                        + " LLM host it knows: if it is an LLM call, it is neither costed nor checked. Name the host in "
                        + ConfigKeys.PROVIDERS_EXTRA_HOSTS + " so that its calls are recognised by their path; further"
                        + " such calls to " + host + " through " + client + " are only counted (exit summary)"));
    }
}
