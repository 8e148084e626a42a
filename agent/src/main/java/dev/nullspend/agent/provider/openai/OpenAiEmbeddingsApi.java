package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * Embeddings ({@code POST …/embeddings}, docs/providers/openai.md#embeddings): input-only usage, read past the
 * vectors without holding them. Elsewhere than a known host the body must have a string
 * {@code model} and an {@code input} (string or array).
 */
public final class OpenAiEmbeddingsApi extends OpenAiStyleApi {

    public static final String ENDPOINT = "embeddings";

    private static final String INPUT = "input";

    public OpenAiEmbeddingsApi(ProviderHosts hosts) {
        super(hosts, ENDPOINT, "/embeddings", List.of(), INPUT);
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        return hasModelAndTextOrList(body, INPUT);
    }

    /** Embeddings produce no output. */
    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        return new JsonBodyParser(OpenAiUsage.EMBEDDINGS);
    }
}
