package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * The Responses API ({@code POST …/responses}, docs/providers/openai.md#responses). Usage is in the plain body, or
 * in a stream at {@code response.usage} of the terminal event ({@code response.completed},
 * {@code response.incomplete}, {@code response.failed}; always sent, no opt-in). Elsewhere than
 * a known host the body must have a string {@code model} and an {@code input} (string or array).
 */
public final class OpenAiResponsesApi extends OpenAiStyleApi {

    public static final String ENDPOINT = "responses";

    private static final String INPUT = "input";
    private static final String MAX_OUTPUT_TOKENS = "max_output_tokens";

    public OpenAiResponsesApi(ProviderHosts hosts) {
        super(hosts, ENDPOINT, "/responses", List.of(MAX_OUTPUT_TOKENS), INPUT);
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        return hasModelAndTextOrList(body, INPUT);
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        return sseOrBody(request, contentType, OpenAiUsage.RESPONSES_EVENT, OpenAiUsage.RESPONSES);
    }
}
