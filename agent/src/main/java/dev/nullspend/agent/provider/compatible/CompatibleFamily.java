package dev.nullspend.agent.provider.compatible;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/**
 * Vendors that serve the OpenAI-style APIs on their own hosts (docs/providers/compatible.md):
 * their calls get their own provider id and prices; the OpenAI family's APIs read them.
 */
public final class CompatibleFamily extends ProviderFamily {

    public static final Vendor MISTRAL = Vendor.named("mistral_ai").hosts("api.mistral.ai");
    public static final Vendor GROQ = Vendor.named("groq").hosts("api.groq.com");
    public static final Vendor DEEPSEEK = Vendor.named("deepseek").hosts("api.deepseek.com");
    public static final Vendor OPENROUTER = Vendor.named("openrouter").hosts("openrouter.ai");

    public CompatibleFamily() {
        super("compatible", MISTRAL, GROQ, DEEPSEEK, OPENROUTER);
    }

    /** None of their own: the OpenAI family's APIs recognise their hosts. */
    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of();
    }
}
