package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseFilter;

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

    /**
     * False only when {@link #recognize} returns null for every request with this method and this
     * raw path, whatever its host, headers and body: the path is {@code target} from {@code pathStart}
     * to {@code pathEnd} ({@link Requests#pathStart}). Runs for every request a client sends, before
     * anything is made for it: must allocate nothing. True (unsure) by default.
     */
    default boolean mayRecognize(String method, String target, int pathStart, int pathEnd) {
        return true;
    }

    /** A fresh parser for a response of {@code request} with the given {@code Content-Type} (may be null). */
    UsageParser newParser(LlmRequest request, String contentType);

    /**
     * The body to send instead of the program's so that the response reports what the agent needs
     * (an OpenAI stream asked for its usage), or {@code null}: the request goes as it is. Called
     * once the call is admitted; never for a signed request (the signature covers the body).
     */
    default byte[] rewriteBody(Exchange exchange, LlmRequest request) {
        return null;
    }

    /**
     * For a request whose body {@link #rewriteBody} replaced: the filter between the response and
     * the program that takes out what only the agent asked for, or {@code null} when the response
     * cannot be filtered (then the program reads it as it came).
     */
    default ResponseFilter responseFilter(LlmRequest request, String contentType, String contentEncoding) {
        return null;
    }
}
