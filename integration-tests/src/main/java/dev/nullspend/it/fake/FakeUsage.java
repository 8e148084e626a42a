package dev.nullspend.it.fake;

/**
 * The token usage the fake provider reports, in OpenAI Chat Completions terms.
 *
 * <p>As in OpenAI's {@code usage} object, {@code cachedTokens} is part of {@code promptTokens}
 * and {@code reasoningTokens} is part of {@code completionTokens}.
 *
 * @param promptTokens      {@code usage.prompt_tokens}
 * @param cachedTokens      {@code usage.prompt_tokens_details.cached_tokens}
 * @param completionTokens  {@code usage.completion_tokens}
 * @param reasoningTokens   {@code usage.completion_tokens_details.reasoning_tokens}
 */
public record FakeUsage(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {

    /** The usage of OpenAI's recorded gpt-4o-mini stream (docs/providers/openai.md#chat-completions): 22 in, 3 out. */
    public static final FakeUsage DEFAULT = new FakeUsage(22, 0, 3, 0);

    public FakeUsage {
        if (promptTokens < 0 || cachedTokens < 0 || completionTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
        if (cachedTokens > promptTokens || reasoningTokens > completionTokens) {
            throw new IllegalArgumentException("cached must be <= prompt and reasoning <= completion");
        }
    }

    /** Parses the path form {@code prompt-cached-completion-reasoning}, e.g. {@code 1000-400-500-0}. */
    public static FakeUsage parse(String segment) {
        String[] parts = segment.split("-", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("usage segment must be prompt-cached-completion-reasoning: " + segment);
        }
        return new FakeUsage(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    }

    /** The path form read by {@link #parse(String)}. */
    public String toPathSegment() {
        return promptTokens + "-" + cachedTokens + "-" + completionTokens + "-" + reasoningTokens;
    }

    /** OpenAI's {@code usage} object, with the detail objects the real API sends. */
    String toJson() {
        return "{\"prompt_tokens\":" + promptTokens
                + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cachedTokens + ",\"audio_tokens\":0}"
                + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens
                + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
    }
}
