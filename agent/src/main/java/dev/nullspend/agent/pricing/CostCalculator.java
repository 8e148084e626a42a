package dev.nullspend.agent.pricing;

import dev.nullspend.agent.provider.Usage;

/**
 * Prices one event exactly: the sum of {@code tokens × rate} is kept in picodollars and divided
 * by 1,000,000 once, half-up (docs/providers/README.md#usage-record, docs/providers/cost-vectors.md). A long-context tier, when crossed,
 * prices every token of the event.
 *
 * <p>Breakdown: each part is rounded half-up on its own, then the residual (total − Σ parts,
 * at most ±1) goes to the largest part, ties broken output, input, cached, so the parts sum to
 * the total.
 *
 * <p>Provider-reported cost ({@link Usage#providerReportedCostMicros()}, e.g. OpenRouter's
 * {@code usage.cost}) wins over local prices and needs none. It comes without a split, and a
 * split from our own price sheet could contradict it (OpenRouter routes to upstreams with their
 * own prices), so the parts are left at 0 and {@link Cost#itemised()} is false: the event then
 * carries a total and no breakdown. A negative reported value is taken as 0.
 */
public final class CostCalculator {

    private CostCalculator() {
    }

    /**
     * The cost of {@code usage} at {@code price}; {@code price} may be {@code null} for an unknown
     * model, which costs {@link Cost#ZERO} unless the provider reported a cost.
     */
    public static Cost cost(ModelPrice price, Usage usage) {
        if (usage.providerReportedCostMicros() != null) {
            return Cost.reported(usage.providerReportedCostMicros());
        }
        if (price == null) {
            return Cost.ZERO;
        }
        Rates r = price.ratesFor(usage);
        Picodollars input = new Picodollars().add(usage.uncachedInput(), r.input());
        Picodollars cached = new Picodollars()
                .add(usage.cacheRead(), r.cachedInput())
                .add(usage.cacheWrite5m(), r.cacheWrite5m())
                .add(usage.cacheWrite1h(), r.cacheWrite1h());
        Picodollars output = new Picodollars().add(usage.output(), r.output());
        long total = new Picodollars().add(input).add(cached).add(output).toMicros();
        long reasoning = new Picodollars().add(usage.reasoning(), r.output()).toMicros();
        return itemise(total, input.toMicros(), cached.toMicros(), output.toMicros(), reasoning);
    }

    private static Cost itemise(long total, long in, long cached, long out, long reasoning) {
        long residual = total - (in + cached + out);
        if (out >= in && out >= cached) {
            out += residual;
        } else if (in >= cached) {
            in += residual;
        } else {
            cached += residual;
        }
        return new Cost(total, in, out, cached, reasoning);
    }
}
