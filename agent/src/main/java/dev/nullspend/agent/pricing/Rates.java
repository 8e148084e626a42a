package dev.nullspend.agent.pricing;

/**
 * One full price set in integer µ$ per million tokens (1 $/MTok = 1,000,000 µ$/MTok, which is
 * also 1 µ$ per token). Every published price is an integer in this unit (0.005 $/MTok → 5,000),
 * so costs can be computed exactly.
 *
 * <p>A price the table leaves out is filled in at load time with the {@code input} rate: an
 * OpenAI model without a cached price bills cached tokens as ordinary input, and a model
 * without cache-write prices bills written tokens as ordinary input. That never undercounts
 * against a vendor whose discount we did not record.
 */
public record Rates(long input, long cachedInput, long cacheWrite5m, long cacheWrite1h, long output) {

    public Rates {
        if (input < 0 || cachedInput < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || output < 0) {
            throw new IllegalArgumentException("negative rate");
        }
    }
}
