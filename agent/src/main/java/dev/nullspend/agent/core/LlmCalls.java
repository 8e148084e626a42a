package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.guard.Reservation;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.proxy.ProxyHeaders;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpendException;

import java.net.URI;

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
     * tracked (not an LLM API, the agent's own traffic, agent disabled). A call to the NullSpend
     * proxy is returned too, though never costed: it has headers to add and denials to map. While
     * the agent is still starting, {@link AgentStartup#runtimeFor} waits for it or lets
     * {@code nullspend.fail-mode} decide.
     *
     * <p>Never throws, except a deliberate {@link NullSpendException} denial, which the adapter
     * must deliver to the program before any byte is sent.
     */
    public static LlmCall begin(Exchange exchange) {
        AgentRuntime rt = AgentRuntime.current();
        try {
            if (rt == null) {
                AgentStartup startup = AgentStartup.current();
                rt = startup == null ? null : startup.runtimeFor(exchange);
                if (rt == null) {
                    return null;
                }
            }
            if (rt.isOwnTraffic(exchange.uri())) {
                return null;
            }
            if (rt.isProxied(exchange.uri())) {
                return proxied(rt, exchange);
            }
            LlmRequest request = rt.recognize(exchange);
            if (request == null) {
                return null;
            }
            Attribution scope = Attribution.current();
            Reservation reservation = rt.admit(request, scope);
            // After admission: the loop detector hashed the body as the program sent it.
            byte[] body = request.api().rewriteBody(exchange, request);
            return new LlmCall(rt, request, reservation, scope, body == null ? null : RequestRewrite.body(body), body != null);
        } catch (NullSpendException denial) {
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("begin:" + t.getClass().getName(),
                    "internal error while inspecting a request; the call goes on untracked", t);
            return null;
        }
    }

    /**
     * The first thing every adapter asks, before it makes anything for a request: false only when
     * {@link #begin} would surely leave the request alone (no API's method-and-path gate lets it
     * through, and its host cannot be the NullSpend proxy's); then the adapter hands the request on
     * as it is. Reads what the client already holds, allocates nothing. True while the agent starts
     * (its configuration is used then: {@code begin} waits for such calls), and when unsure.
     *
     * @param method the request method, in any case
     * @param host   the host the request goes to (a {@code :port} may follow, an IPv6 literal may lack its
     *               brackets), or null when the client does not hold it
     * @param target the raw path, with or without query, or the absolute URI (e.g. OkHttp's {@code HttpUrl}
     *               string); null or another form counts as any path
     */
    public static boolean isCandidate(String method, String host, String target) {
        try {
            CallTargets targets = targets();
            return targets == null || targets.isCandidate(method, host, target);
        } catch (Throwable t) {
            AgentLog.warnOnce("is-candidate:" + t.getClass().getName(),
                    "internal error while inspecting a request; it is inspected in full", t);
            return true;
        }
    }

    /**
     * Whether {@link #begin} could track a request, judged from the method, the URI and the headers
     * alone: for a client that must hold a streamed request body back before {@code begin} can see
     * it, and that holds nothing for requests no API could be. The body is never read: a request
     * that only its body could make an LLM call counts as possible. True while the agent starts.
     */
    public static boolean mayTrack(String method, URI uri, Headers headers) {
        try {
            CallTargets targets = targets();
            return targets == null || targets.mayTrack(method, uri, headers);
        } catch (Throwable t) {
            AgentLog.warnOnce("may-track:" + t.getClass().getName(),
                    "internal error while inspecting a request; the call goes on untracked", t);
            return false;
        }
    }

    static boolean mayTrack(AgentRuntime rt, String method, URI uri, Headers headers) {
        return rt.targets().mayTrack(method, uri, headers);
    }

    /**
     * True when {@link #begin} would read the body of a request with this method, URI and headers:
     * it goes to a known LLM API's path. Looks at nothing else, so that an adapter whose client
     * cannot hand the body over twice reads it ahead only for such requests. Never throws.
     */
    public static boolean readsBody(String method, URI uri, Headers headers) {
        try {
            CallTargets targets = targets();
            return targets != null && targets.readsBody(method, uri, headers);
        } catch (Throwable t) {
            AgentLog.warnOnce("reads-body:" + t.getClass().getName(),
                    "internal error while inspecting a request; its body is not read ahead", t);
            return false;
        }
    }

    /** The runtime's targets, or those of the start while the runtime is not ready; null before either. */
    private static CallTargets targets() {
        AgentRuntime rt = AgentRuntime.current();
        if (rt != null) {
            return rt.targets();
        }
        AgentStartup startup = AgentStartup.current();
        return startup == null ? null : startup.targets();
    }

    /**
     * A call to the NullSpend proxy: the proxy costs and checks it, so it is neither recognised
     * nor admitted here; it gets the proxy headers of its owner (docs/nullspend-api-contract.md#proxy-headers), and
     * its response is watched for the proxy's denials.
     */
    private static LlmCall proxied(AgentRuntime rt, Exchange exchange) {
        Attribution scope = Attribution.current();
        AgentConfig config = rt.config();
        RequestRewrite headers = ProxyHeaders.forCall(exchange, config.apiKey, CallOwner.of(config, scope),
                scope.traceId() != null ? scope.traceId() : config.traceId, scope.actionId());
        if (headers == null && config.enforcement != AgentConfig.Enforcement.ON) {
            return null;
        }
        return LlmCall.proxied(rt, headers, scope);
    }
}
