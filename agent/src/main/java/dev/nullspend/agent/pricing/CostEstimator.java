package dev.nullspend.agent.pricing;

import dev.nullspend.agent.provider.ProviderFamilies;
import dev.nullspend.agent.provider.Usage;

/**
 * The pre-request estimate a reservation holds (docs/nullspend-api-contract.md#pre-request-estimate, the NullSpend proxy's
 * estimator): {@code round_half_up((in × inputRate + out × outputRate) / 1e6 × 1.1)} µ$ with
 * {@code in = ceil(requestBodyBytes / 4)} and {@code out} = the request's output cap, else the
 * model's cap, else the provider default. A long-context tier applies when the estimated input
 * crosses it. Computed exactly, rounded once.
 */
public final class CostEstimator {

    /** What a call to a model without a price reserves: $1. */
    public static final long UNKNOWN_MODEL_ESTIMATE_MICROS = 1_000_000L;
    /** Larger requested caps are clamped, as the proxy does. */
    public static final long MAX_REQUESTED_OUTPUT_TOKENS = 1_000_000L;
    /** Cap when neither the request, the model nor its provider gives one ("other OpenAI"). */
    public static final long DEFAULT_OUTPUT_TOKENS = 16_384L;
    private CostEstimator() {
    }

    /**
     * @param priceOrNull      the resolved price, or {@code null} for an unknown model
     * @param requestBodyBytes request body size; a negative value (unknown size) counts as 0 input
     *                         tokens, since the output cap dominates the estimate anyway
     * @param maxOutputTokens  the request's output cap ({@code max_tokens} …); {@code null} or ≤ 0
     *                         means none was given
     */
    public static long estimateMicros(ModelPrice priceOrNull, long requestBodyBytes, Long maxOutputTokens) {
        if (priceOrNull == null) {
            return UNKNOWN_MODEL_ESTIMATE_MICROS;
        }
        long inputTokens = requestBodyBytes <= 0 ? 0 : requestBodyBytes / 4 + (requestBodyBytes % 4 == 0 ? 0 : 1);
        long outputTokens = outputTokens(priceOrNull, priceOrNull.provider(), maxOutputTokens);
        Rates rates = priceOrNull.ratesFor(Usage.of(inputTokens, outputTokens));
        return new Picodollars()
                .add(inputTokens, rates.input())
                .add(outputTokens, rates.output())
                .scaledHalfUp(11, 10 * 1_000_000L);
    }

    /**
     * The output tokens an estimate counts on: the request's cap (clamped), else the model's cap,
     * else {@code provider}'s default. Also what a call whose real output count never arrived is
     * billed for (a cut Anthropic stream).
     *
     * @param priceOrNull the resolved price, or {@code null} for an unknown model (no model cap)
     */
    public static long outputTokens(ModelPrice priceOrNull, String provider, Long requested) {
        if (requested != null && requested > 0) {
            return Math.min(requested, MAX_REQUESTED_OUTPUT_TOKENS);
        }
        if (priceOrNull != null && priceOrNull.maxOutputTokens() != null) {
            return priceOrNull.maxOutputTokens();
        }
        // The provider's own default, as its family declares it (Anthropic's, Gemini's).
        Long providerCap = ProviderFamilies.defaultOutputTokens(provider);
        return providerCap != null ? providerCap : DEFAULT_OUTPUT_TOKENS;
    }
}
