package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.anthropic.AnthropicSseParser;
import dev.nullspend.agent.provider.anthropic.AnthropicUsage;
import java.util.List;

/**
 * Bedrock InvokeModel and InvokeModelWithResponseStream (docs/providers/bedrock.md#invokemodel):
 * the body is the model vendor's own, told apart by the model id's vendor. Anthropic's bodies and
 * events are read exactly as the Anthropic family reads them; Amazon Nova's and Meta Llama's by
 * their native usage; a stream of any vendor also ends with Bedrock's invocation metrics, the
 * usage of last resort. The output cap is the vendor's field: {@code max_tokens} (Anthropic),
 * {@code inferenceConfig.maxTokens} or {@code inferenceConfig.max_new_tokens} (Nova),
 * {@code max_gen_len} (Llama).
 */
final class InvokeModelApi extends BedrockApi {

    static final String INVOKE = "invoke";
    static final String INVOKE_STREAM = "invoke-with-response-stream";
    private static final String[] MAX_TOKENS = {"max_tokens", "inferenceConfig.maxTokens",
            "inferenceConfig.max_new_tokens", "max_gen_len"};

    private static final String ANTHROPIC = "anthropic";
    private static final String AMAZON = "amazon";
    private static final String META = "meta";
    /** A model whose vendor is unknown: every native shape is tried. */
    private static final UsageFormat ANY_BODY = new FirstUsage(AnthropicUsage.BODY, BedrockUsage.NOVA, BedrockUsage.LLAMA);
    private static final UsageFormat NOVA_STREAM = new FirstUsage(BedrockUsage.NOVA_STREAM, BedrockUsage.INVOCATION_METRICS);

    InvokeModelApi(ProviderSettings settings) {
        super(settings, List.of(INVOKE, INVOKE_STREAM), INVOKE_STREAM, MAX_TOKENS);
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        String vendor = BedrockPaths.vendor(request.model());
        if (isEventStream(request.stream(), contentType)) {
            return switch (vendor) {
                case ANTHROPIC -> AnthropicSseParser.over(EventStreamFraming.CHUNKS);
                case AMAZON -> JsonStreamParser.of(NOVA_STREAM, EventStreamFraming.CHUNKS);
                default -> JsonStreamParser.of(BedrockUsage.INVOCATION_METRICS, EventStreamFraming.CHUNKS);
            };
        }
        return new JsonBodyParser(switch (vendor) {
            case ANTHROPIC -> AnthropicUsage.BODY;
            case AMAZON -> BedrockUsage.NOVA;
            case META -> BedrockUsage.LLAMA;
            default -> ANY_BODY;
        });
    }
}
