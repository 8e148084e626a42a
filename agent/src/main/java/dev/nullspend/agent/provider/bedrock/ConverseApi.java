package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.UsageParser;
import java.util.List;

/**
 * Bedrock Converse and ConverseStream (docs/providers/bedrock.md#converse-usage): one request
 * shape for every model, the output cap in {@code inferenceConfig.maxTokens}; the usage in the
 * body's {@code usage}, or in the stream's {@code metadata} event.
 */
final class ConverseApi extends BedrockApi {

    static final String CONVERSE = "converse";
    static final String CONVERSE_STREAM = "converse-stream";
    private static final String MAX_TOKENS = "inferenceConfig.maxTokens";

    ConverseApi(ProviderSettings settings) {
        super(settings, List.of(CONVERSE, CONVERSE_STREAM), CONVERSE_STREAM, MAX_TOKENS);
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        return isEventStream(request.stream(), contentType)
                ? JsonStreamParser.of(BedrockUsage.CONVERSE, EventStreamFraming.EVENTS)
                : new JsonBodyParser(BedrockUsage.CONVERSE);
    }
}
