package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/**
 * OpenAI and Azure OpenAI: Chat Completions, Responses, Embeddings and legacy Completions
 * (docs/providers/openai.md). The same APIs serve every OpenAI-compatible vendor and server.
 */
public final class OpenAiFamily extends ProviderFamily {

    public static final Vendor OPENAI = Vendor.named("openai").hosts("api.openai.com");
    /** Azure OpenAI: priced as {@code openai}, by the model the response names (the URL names a deployment). */
    public static final Vendor AZURE = Vendor.named("azure").providerId("openai")
            .hostSuffixes(".openai.azure.com", ".cognitiveservices.azure.com");

    public OpenAiFamily() {
        super("openai", OPENAI, AZURE);
    }

    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of(new OpenAiChatApi(settings), new OpenAiResponsesApi(settings.hosts()),
                new OpenAiEmbeddingsApi(settings.hosts()), new OpenAiCompletionsApi(settings.hosts()));
    }
}
