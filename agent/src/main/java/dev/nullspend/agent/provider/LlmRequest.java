package dev.nullspend.agent.provider;

/**
 * A request recognised as an LLM API call: who it goes to, which model, and how to read the
 * usage of its response. Built by an {@link LlmApi}; immutable.
 */
public final class LlmRequest {
    private final LlmApi api;
    private final String provider;
    private final String endpoint;
    private final String model;
    private final boolean stream;
    private final Long maxOutputTokens;
    private final long requestBodyBytes;
    private final byte[] body;

    /**
     * @param provider         provider id on the event ({@code openai}, {@code anthropic}, {@code google} …)
     * @param endpoint         API endpoint id, e.g. {@code chat.completions}
     * @param model            model named by the request, or {@code null} when it has none
     * @param stream           the request asked for a streamed response
     * @param maxOutputTokens  output cap from the request ({@code max_tokens} …), or {@code null}
     * @param requestBodyBytes body size in bytes (for estimates), or -1 when unknown
     * @param body             the request body as sent by the program (possibly a bounded prefix), or {@code null}
     */
    public LlmRequest(LlmApi api, String provider, String endpoint, String model, boolean stream,
                      Long maxOutputTokens, long requestBodyBytes, byte[] body) {
        this.api = api;
        this.provider = provider;
        this.endpoint = endpoint;
        this.model = model;
        this.stream = stream;
        this.maxOutputTokens = maxOutputTokens;
        this.requestBodyBytes = requestBodyBytes;
        this.body = body;
    }

    public LlmApi api() {
        return api;
    }

    public String provider() {
        return provider;
    }

    public String endpoint() {
        return endpoint;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    public Long maxOutputTokens() {
        return maxOutputTokens;
    }

    public long requestBodyBytes() {
        return requestBodyBytes;
    }

    /** The body as the program sent it (before any rewrite), possibly a bounded prefix; may be {@code null}. */
    public byte[] body() {
        return body;
    }

    /** A parser for the response body of this request, chosen by its content type. */
    public UsageParser newParser(String contentType) {
        return api.newParser(this, contentType);
    }
}
