package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;

/**
 * OpenAI Chat Completions ({@code POST …/chat/completions}, providers.md §2). On
 * {@code api.openai.com} the path alone is enough; on any other host (gateways, Azure,
 * OpenAI-compatible servers) the body must also look like a chat request — a string
 * {@code model} and a {@code messages} array — so an application's own endpoint that happens to
 * end in {@code /chat/completions} is left alone.
 */
public final class OpenAiChatApi implements LlmApi {

    public static final String PROVIDER = "openai";
    public static final String ENDPOINT = "chat.completions";
    static final String PATH_SUFFIX = "/chat/completions";
    static final OpenAiUsage USAGE = OpenAiUsage.chat("usage");

    private static final String MODEL = "model";
    private static final String MESSAGES = "messages";
    private static final String STREAM = "stream";
    private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
    private static final String MAX_TOKENS = "max_tokens";
    private static final JsonPaths REQUEST_PATHS = JsonPaths.of(MODEL, MESSAGES, STREAM, MAX_COMPLETION_TOKENS, MAX_TOKENS);

    @Override
    public LlmRequest recognize(Exchange exchange) {
        if (!OpenAiRequests.isPostTo(exchange, PATH_SUFFIX)) {
            return null;
        }
        boolean openAiHost = OpenAiRequests.isOpenAiHost(exchange);
        byte[] body = exchange.body();
        if (body == null) {
            return openAiHost ? request(exchange, null, false, null) : null;
        }
        JsonPicker picker = OpenAiRequests.pick(body, REQUEST_PATHS);
        if (!openAiHost && (picker.kind(MODEL) != JsonPicker.Kind.STRING || picker.kind(MESSAGES) != JsonPicker.Kind.ARRAY)) {
            return null;
        }
        return request(exchange, picker.text(MODEL), Boolean.TRUE.equals(picker.bool(STREAM)),
                OpenAiRequests.maxOutputTokens(picker, MAX_COMPLETION_TOKENS, MAX_TOKENS));
    }

    /**
     * SSE parser for {@code text/event-stream}, or when a streamed request's response has no
     * content type; a JSON parser otherwise.
     */
    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        if (SseLineReader.isEventStream(contentType) || (contentType == null && request.stream())) {
            return new OpenAiSseParser(USAGE);
        }
        return new OpenAiJsonParser(USAGE);
    }

    private LlmRequest request(Exchange exchange, String model, boolean stream, Long maxOutputTokens) {
        return new LlmRequest(this, PROVIDER, ENDPOINT, model, stream, maxOutputTokens, exchange.bodyLength(), exchange.body());
    }
}
