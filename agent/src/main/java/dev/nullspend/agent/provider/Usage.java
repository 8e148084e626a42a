package dev.nullspend.agent.provider;

/**
 * Token usage of one LLM call, normalised across providers (see docs/providers/README.md#usage-record and #normalisation).
 *
 * <p>Input is split into disjoint parts: {@code uncachedInput + cacheRead + cacheWrite5m +
 * cacheWrite1h} is all input. {@code output} is billed output and already includes
 * {@code reasoning} (reasoning/thinking is informational only). All counts are ≥ 0.
 *
 * @param providerReportedCostMicros a cost the provider itself reported (OpenRouter
 *        {@code usage.cost}), which wins over local prices; {@code null} when absent
 */
public record Usage(long uncachedInput, long cacheRead, long cacheWrite5m, long cacheWrite1h,
                    long output, long reasoning, Long providerReportedCostMicros) {

    public Usage {
        if (uncachedInput < 0 || cacheRead < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || output < 0 || reasoning < 0) {
            throw new IllegalArgumentException("negative token count");
        }
    }

    /** Usage with only uncached input and output. */
    public static Usage of(long input, long output) {
        return new Usage(input, 0, 0, 0, output, 0, null);
    }

    /** All input tokens, cached or not (the event's {@code inputTokens}). */
    public long inputTokens() {
        return uncachedInput + cacheRead + cacheWrite5m + cacheWrite1h;
    }

    /** Cache writes of both lifetimes. */
    public long cacheWrite() {
        return cacheWrite5m + cacheWrite1h;
    }
}
