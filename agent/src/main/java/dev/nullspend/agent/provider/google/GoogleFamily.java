package dev.nullspend.agent.provider.google;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/** Gemini on the Developer API and Vertex AI (docs/providers/google.md). */
public final class GoogleFamily extends ProviderFamily {

    /**
     * Models without a cap of their own reserve the 65,536-token output limit Google documents for
     * the 2.5 and 3 models (older models stop earlier: this over-reserves for them rather than under).
     */
    public static final Vendor GOOGLE = Vendor.named("google")
            .hosts("generativelanguage.googleapis.com", "aiplatform.googleapis.com")
            .hostSuffixes("-aiplatform.googleapis.com")
            .defaultOutputTokens(65_536);

    public GoogleFamily() {
        super("google", GOOGLE);
    }

    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of(new GeminiApi(settings.hosts()));
    }
}
