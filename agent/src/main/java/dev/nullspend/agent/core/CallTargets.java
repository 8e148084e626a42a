package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.unseen.UnreadableCalls;

import java.net.URI;

/**
 * Where a request goes, as far as the agent cares: its own API (never intercepted), the
 * NullSpend proxy (headers added, costed by the proxy), or a known LLM API (recognised by
 * {@link Providers}). One instance in the runtime, and one for calls made while it starts.
 */
final class CallTargets {
    private final Providers providers;
    private final Origin ownApi;
    private final Origin proxy;

    CallTargets(AgentConfig config, Providers providers) {
        this.providers = providers;
        this.ownApi = Origin.of(config.baseUrl);
        this.proxy = config.proxyUrl == null ? null : Origin.of(config.proxyUrl);
    }

    static CallTargets of(AgentConfig config) {
        return new CallTargets(config, Providers.defaults(config.extraHosts));
    }

    Providers providers() {
        return providers;
    }

    /**
     * The LLM call {@code exchange} is, or null. A request on an LLM API's path whose body could
     * not be read, on a host no vendor is known for, may be one the agent cannot recognise: said
     * and counted ({@link UnreadableCalls}).
     */
    LlmRequest recognize(Exchange exchange) {
        LlmRequest request = providers.recognize(exchange);
        if (request == null && exchange.bodyUnreadable()) {
            UnreadableCalls.seen(exchange);
        }
        return request;
    }

    boolean isOwnTraffic(URI uri) {
        return ownApi.matches(uri);
    }

    boolean isProxied(URI uri) {
        return proxy != null && proxy.matches(uri);
    }

    /**
     * False only when {@link LlmCalls#begin} surely leaves a request alone, judged from its method,
     * host and request target ({@link Providers#mayRecognize}) before anything is made for it: it
     * goes to no host that may be the NullSpend proxy, and no API's path gate (method and path, what
     * every recognition starts with) lets it through. The agent's own traffic is not told apart here
     * ({@code begin} does). Allocates nothing.
     *
     * @param host   the host the request goes to (a {@code :port} may follow), or null when unknown
     * @param target the raw path, with or without its query, or the absolute URI
     */
    boolean isCandidate(String method, String host, String target) {
        return (proxy != null && proxy.mayBeHost(host)) || providers.mayRecognize(method, target);
    }

    /**
     * Whether a request may be an LLM call the agent handles, judged without its body: the proxy's,
     * or one some provider API recognises or wants the body of. Never the agent's own traffic.
     */
    boolean mayTrack(String method, URI uri, Headers headers) {
        if (!isCandidate(method, uri.getHost(), uri.getRawPath()) || isOwnTraffic(uri)) {
            return false;
        }
        if (isProxied(uri)) {
            return true;
        }
        BodyProbe probe = new BodyProbe();
        return providers.recognize(new Exchange(method, uri, headers, probe, -1)) != null || probe.asked;
    }

    /**
     * True when recognising a request would read its body: one to a known LLM API's path, not the
     * agent's own traffic nor the proxy's. Recognition runs on a body that reads nothing.
     */
    boolean readsBody(String method, URI uri, Headers headers) {
        if (!providers.mayRecognize(method, uri.getRawPath()) || isOwnTraffic(uri) || isProxied(uri)) {
            return false;
        }
        BodyProbe probe = new BodyProbe();
        providers.recognize(new Exchange(method, uri, headers, probe, -1));
        return probe.asked;
    }

    /** A body source that reads nothing, only notes that recognition asked for the body. */
    private static final class BodyProbe implements Exchange.BodySource {
        boolean asked;

        @Override
        public byte[] read() {
            asked = true;
            return null;
        }
    }
}
