package dev.nullspend.agent.provider.ollama;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/** Ollama's native API, NDJSON streams (docs/providers/compatible.md); its {@code /v1} API is the OpenAI family's. */
public final class OllamaFamily extends ProviderFamily {

    /** Ollama's default port: any host serving it is taken for an Ollama server. */
    public static final int PORT = 11434;
    public static final Vendor OLLAMA = Vendor.named("ollama").hosts("ollama.com").port(PORT);

    public OllamaFamily() {
        super("ollama", OLLAMA);
    }

    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of(new OllamaApi(settings.hosts()));
    }
}
