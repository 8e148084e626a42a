package dev.nullspend.agent.pricing;

/**
 * The cost of one event in µ$ with its breakdown (docs/providers/README.md#usage-record): {@code inputMicros} is
 * uncached input, {@code cachedMicros} cache reads and writes, {@code outputMicros} output
 * including reasoning. For a priced event {@code input + cached + output == total}.
 * {@code reasoningMicros} is informational: already inside {@code outputMicros}, never added.
 */
public record Cost(long totalMicros, long inputMicros, long outputMicros, long cachedMicros, long reasoningMicros) {

    /** An unpriced event (unknown model): cost 0. */
    public static final Cost ZERO = new Cost(0, 0, 0, 0, 0);

    /** A total the provider reported without a split; all parts stay 0 (see {@link CostCalculator}). */
    static Cost reported(long totalMicros) {
        return new Cost(Math.max(0, totalMicros), 0, 0, 0, 0);
    }

    /** True when the parts add up to the total, i.e. the cost has a breakdown worth reporting. */
    public boolean itemised() {
        return inputMicros + outputMicros + cachedMicros == totalMicros;
    }
}
