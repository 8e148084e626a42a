package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;

/**
 * One LLM API (e.g. OpenAI Chat Completions): how to recognise its requests and how to read
 * usage from its responses. Implementations are small, stateless and thread-safe.
 */
public interface LlmApi {
    /**
     * Returns the recognised request, or {@code null} when the exchange is not a call to this API.
     * Called for every outgoing request of the program: must be cheap for non-matches (check
     * method and path before touching the body) and must not throw.
     */
    LlmRequest recognize(Exchange exchange);

    /** A fresh parser for a response of {@code request} with the given {@code Content-Type} (may be null). */
    UsageParser newParser(LlmRequest request, String contentType);
}
