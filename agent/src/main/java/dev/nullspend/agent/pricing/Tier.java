package dev.nullspend.agent.pricing;

import dev.nullspend.agent.provider.Usage;

/**
 * A long-context tier: once {@code basis} exceeds {@code threshold} (strictly), {@code rates}
 * replace the model's base rates for every token of the request, not only the tokens above it.
 */
public record Tier(Basis basis, long threshold, Rates rates) {

    /** What the threshold counts; vendors differ on whether cache tokens are included. */
    public enum Basis {
        /** All input: uncached + cache read + cache writes (Anthropic). JSON {@code totalInputGt}. */
        TOTAL_INPUT("totalInputGt"),
        /** The prompt: uncached + cache read (Gemini {@code promptTokenCount}). JSON {@code promptGt}. */
        PROMPT("promptGt");

        private final String jsonKey;

        Basis(String jsonKey) {
            this.jsonKey = jsonKey;
        }

        public String jsonKey() {
            return jsonKey;
        }

        long count(Usage u) {
            return this == TOTAL_INPUT ? u.inputTokens() : u.uncachedInput() + u.cacheRead();
        }
    }

    public boolean appliesTo(Usage usage) {
        return basis.count(usage) > threshold;
    }
}
