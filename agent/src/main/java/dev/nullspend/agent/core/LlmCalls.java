package dev.nullspend.agent.core;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpendException;

/**
 * The one entry point every client adapter calls before a request leaves the process. It is
 * on the bootstrap class path and takes only JDK and core types, so advice woven into any
 * class loader's HTTP client can call it.
 */
public final class LlmCalls {
    private LlmCalls() {
    }

    /**
     * Starts tracking {@code exchange} if it is an LLM call: recognises the provider, runs the
     * guard, and returns the call to feed the response into; {@code null} when the call is not
     * tracked (not an LLM API, the agent's own traffic, agent not ready).
     *
     * <p>Never throws, except a deliberate {@link NullSpendException} denial, which the adapter
     * must deliver to the program before any byte is sent.
     */
    public static LlmCall begin(Exchange exchange) {
        AgentRuntime rt = AgentRuntime.current();
        if (rt == null) {
            return null;
        }
        try {
            if (rt.isOwnTraffic(exchange.uri()) || rt.isProxied(exchange.uri())) {
                return null;
            }
            LlmRequest request = rt.providers().recognize(exchange);
            if (request == null) {
                return null;
            }
            Attribution scope = Attribution.current();
            return new LlmCall(rt, request, rt.admit(request, scope), scope);
        } catch (NullSpendException denial) {
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("begin:" + t.getClass().getName(),
                    "internal error while inspecting a request; the call goes on untracked", t);
            return null;
        }
    }
}
