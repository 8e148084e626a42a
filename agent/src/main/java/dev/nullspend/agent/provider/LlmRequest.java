package dev.nullspend.agent.provider;

/**
 * A request recognised as an LLM API call: who it goes to, which model, and how to read the
 * usage of its response. Built by an {@link LlmApi}.
 *
 * @param provider         provider id on the event ({@code openai}, {@code anthropic}, {@code google} …)
 * @param endpoint         API endpoint id, e.g. {@code chat.completions}
 * @param model            model named by the request, or {@code null} when it has none
 * @param stream           the request asked for a streamed response
 * @param maxOutputTokens  output cap from the request ({@code max_tokens} …), or {@code null}
 * @param requestBodyBytes body size in bytes (for estimates), or -1 when unknown
 * @param body             the body as the program sent it (before any rewrite), possibly a bounded prefix;
 *                         may be {@code null}
 */
public record LlmRequest(LlmApi api, String provider, String endpoint, String model, boolean stream,
                         Long maxOutputTokens, long requestBodyBytes, byte[] body) {

    /** A parser for the response body of this request, chosen by its content type. */
    public UsageParser newParser(String contentType) {
        return api.newParser(this, contentType);
    }
}
