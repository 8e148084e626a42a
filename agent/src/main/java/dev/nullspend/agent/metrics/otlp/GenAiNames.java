package dev.nullspend.agent.metrics.otlp;

/**
 * The OpenTelemetry GenAI semantic conventions' names for the agent's providers and endpoints
 * ({@code gen_ai.provider.name}, {@code gen_ai.operation.name}; docs/metrics.md#otlp). A provider or
 * endpoint the conventions have no name for keeps the agent's own.
 */
final class GenAiNames {
    private GenAiNames() {
    }

    static String provider(String provider) {
        switch (provider) {
            case "bedrock":
                return "aws.bedrock";
            case "google":
                return "gcp.gen_ai"; // the Gemini API or Vertex AI: the agent's id does not tell them apart
            default:
                return provider; // openai (Azure's too), anthropic, mistral_ai, groq, deepseek: the same names
        }
    }

    /** The operation of an endpoint id ({@code LlmRequest.endpoint()}), or null for none. */
    static String operation(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        switch (endpoint) {
            case "chat.completions":
            case "responses":
            case "messages":
            case "converse":
            case "converse-stream":
            case "chat":
                return "chat";
            case "completions":
            case "generate":
                return "text_completion";
            case "embeddings":
                return "embeddings";
            case "generateContent":
            case "streamGenerateContent":
                return "generate_content";
            default:
                return endpoint;
        }
    }
}
