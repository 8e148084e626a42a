package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The known LLM APIs, asked in order whether an outgoing request is theirs. A failing API is
 * logged once and treated as "not mine": recognition never breaks the program's call.
 * Immutable and thread-safe.
 */
public final class Providers {
    private final LlmApi[] apis;

    public Providers(List<LlmApi> apis) {
        this.apis = apis.toArray(new LlmApi[0]);
    }

    /** The APIs the agent supports, on the vendors' own hosts only. */
    public static Providers defaults() {
        return defaults(Map.of());
    }

    /** The APIs the agent supports, with {@code extraHosts} (see {@link #of}) and no extra include-usage hosts. */
    public static Providers defaults(Map<String, List<String>> extraHosts) {
        return of(extraHosts, List.of());
    }

    /**
     * Every provider family's APIs, in the families' order, with {@code extraHosts} (vendor config
     * name → {@code host} or {@code host:port}, as {@code nullspend.providers.extra-hosts}
     * validated them) treated as the vendors' own hosts.
     *
     * <p>Every API first checks the method and the path suffix, and the suffixes are disjoint
     * ({@code /chat/completions}, {@code /messages}, {@code :generateContent}, {@code /responses},
     * {@code /embeddings}, {@code /completions} but not {@code /chat/completions},
     * {@code /api/chat}, {@code /api/generate}, Bedrock's {@code /model/{id}/converse} …), so at most one API reads a request's body and
     * the order only sets how many string comparisons a request that is no LLM call costs.
     *
     * @param includeUsageHosts hosts whose streamed chat requests are asked for their usage besides the defaults
     * @throws IllegalArgumentException for a vendor name that is no vendor's
     */
    public static Providers of(Map<String, List<String>> extraHosts, List<String> includeUsageHosts) {
        return of(extraHosts, includeUsageHosts, Map.of());
    }

    /**
     * As {@link #of(Map, List)}, with the models Bedrock application inference profiles stand for
     * (profile ARN or id → model id, as {@code nullspend.providers.bedrock-profiles} validated them).
     */
    public static Providers of(Map<String, List<String>> extraHosts, List<String> includeUsageHosts,
                               Map<String, String> bedrockProfiles) {
        ProviderSettings settings = new ProviderSettings(ProviderHosts.withExtraHosts(extraHosts), includeUsageHosts,
                bedrockProfiles);
        List<LlmApi> apis = new ArrayList<>();
        for (ProviderFamily family : ProviderFamilies.all()) {
            apis.addAll(family.apis(settings));
        }
        return new Providers(apis);
    }

    /** The first API's recognition of {@code exchange}, or null when it is no known LLM call. */
    public LlmRequest recognize(Exchange exchange) {
        for (LlmApi api : apis) {
            try {
                LlmRequest request = api.recognize(exchange);
                if (request != null) {
                    return request;
                }
            } catch (Throwable t) {
                AgentLog.warnOnce("recognize:" + api.getClass().getName(),
                        api.getClass().getSimpleName() + " failed to recognise a request; treated as not an LLM call", t);
            }
        }
        return null;
    }

    /**
     * False only when no API could recognise a request with this method and request target, whatever
     * its host, headers and body: each API's own path gate ({@link LlmApi#mayRecognize}). The target is
     * as the client holds it: the raw path, with or without its query, or the absolute URI; any other
     * form counts as possible. Allocates nothing.
     */
    public boolean mayRecognize(String method, String target) {
        int start = Requests.pathStart(target);
        if (start < 0) {
            return true;
        }
        int end = Requests.pathEnd(target, start);
        for (LlmApi api : apis) {
            if (api.mayRecognize(method, target, start, end)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The once-key of the warning about a model without a price: a provider family that knows why
     * a model cannot be priced (an unmapped Bedrock profile) warns under the same key, so the
     * program reads one warning, the more useful one.
     */
    public static String unpricedWarningKey(String provider, String model) {
        return "unpriced:" + provider + "/" + model;
    }

    public List<LlmApi> apis() {
        return List.of(apis);
    }
}
