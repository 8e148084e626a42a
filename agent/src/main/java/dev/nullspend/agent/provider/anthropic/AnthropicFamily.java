package dev.nullspend.agent.provider.anthropic;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/** Anthropic's Messages API (docs/providers/anthropic.md). */
public final class AnthropicFamily extends ProviderFamily {

    /** Models without a cap of their own reserve Anthropic's default (docs/nullspend-api-contract.md#pre-request-estimate). */
    public static final Vendor ANTHROPIC = Vendor.named("anthropic").hosts("api.anthropic.com")
            .defaultOutputTokens(64_000);

    public AnthropicFamily() {
        super("anthropic", ANTHROPIC);
    }

    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of(new AnthropicMessagesApi(settings.hosts()));
    }
}
