package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.openai.OpenAiChatApi;
import dev.nullspend.agent.provider.openai.OpenAiEmbeddingsApi;
import java.util.List;

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

    /** The APIs the agent supports, most specific first. */
    public static Providers defaults() {
        return new Providers(List.of(new OpenAiChatApi(), new OpenAiEmbeddingsApi()));
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

    public List<LlmApi> apis() {
        return List.of(apis);
    }
}
