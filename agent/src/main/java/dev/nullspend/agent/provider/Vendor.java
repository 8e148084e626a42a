package dev.nullspend.agent.provider;

/**
 * An LLM vendor whose API hosts the agent knows (see {@link ProviderHosts}). A call to one of
 * its hosts is an inference call by its path alone; elsewhere the request body must also have
 * the API's shape.
 */
public enum Vendor {
    OPENAI("openai", "openai"),
    /** Azure OpenAI: priced as {@code openai}, by the model the response names (the URL names a deployment). */
    AZURE("azure", "openai"),
    ANTHROPIC("anthropic", "anthropic"),
    /** Gemini Developer API and Vertex AI. */
    GOOGLE("google", "google"),
    MISTRAL("mistral_ai", "mistral_ai"),
    GROQ("groq", "groq"),
    DEEPSEEK("deepseek", "deepseek"),
    OPENROUTER("openrouter", "openrouter"),
    OLLAMA("ollama", "ollama");

    private final String configName;
    private final String providerId;

    Vendor(String configName, String providerId) {
        this.configName = configName;
        this.providerId = providerId;
    }

    /** The name {@code nullspend.providers.extra-hosts} uses for this vendor. */
    public String configName() {
        return configName;
    }

    /** The {@code provider} of this vendor's cost events, and the price table's provider key. */
    public String providerId() {
        return providerId;
    }

    /** The vendor with this {@link #configName()}, or null. */
    public static Vendor byConfigName(String name) {
        for (Vendor v : values()) {
            if (v.configName.equals(name)) {
                return v;
            }
        }
        return null;
    }
}
