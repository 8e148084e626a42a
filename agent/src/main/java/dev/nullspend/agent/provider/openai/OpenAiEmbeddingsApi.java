package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;

/**
 * OpenAI Embeddings ({@code POST …/embeddings}, providers.md §4): input-only usage, read past
 * the vectors without holding them. On {@code api.openai.com} the path is enough; elsewhere the
 * body must also have a string {@code model} and an {@code input} (string or array).
 */
public final class OpenAiEmbeddingsApi implements LlmApi {

    public static final String ENDPOINT = "embeddings";
    static final String PATH_SUFFIX = "/embeddings";
    static final OpenAiUsage USAGE = OpenAiUsage.inputOnly("usage");

    private static final String MODEL = "model";
    private static final String INPUT = "input";
    private static final JsonPaths REQUEST_PATHS = JsonPaths.of(MODEL, INPUT);

    @Override
    public LlmRequest recognize(Exchange exchange) {
        if (!OpenAiRequests.isPostTo(exchange, PATH_SUFFIX)) {
            return null;
        }
        boolean openAiHost = OpenAiRequests.isOpenAiHost(exchange);
        byte[] body = exchange.body();
        if (body == null) {
            return openAiHost ? request(exchange, null) : null;
        }
        JsonPicker picker = OpenAiRequests.pick(body, REQUEST_PATHS);
        JsonPicker.Kind input = picker.kind(INPUT);
        if (!openAiHost && (picker.kind(MODEL) != JsonPicker.Kind.STRING
                || (input != JsonPicker.Kind.STRING && input != JsonPicker.Kind.ARRAY))) {
            return null;
        }
        return request(exchange, picker.text(MODEL));
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        return new OpenAiJsonParser(USAGE);
    }

    private LlmRequest request(Exchange exchange, String model) {
        return new LlmRequest(this, OpenAiChatApi.PROVIDER, ENDPOINT, model, false, null, exchange.bodyLength(), exchange.body());
    }
}
