package dev.nullspend.agent.pricing;

import dev.nullspend.agent.provider.Usage;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The price of one model: base {@link Rates} (µ$/MTok, absent prices already filled in with the
 * input rate, see {@link Rates}), optional long-context {@link Tier tiers}, and the output cap
 * used for pre-request estimates. Immutable.
 *
 * @param provider        {@code openai}, {@code anthropic}, {@code google}, or any id an override file uses
 * @param model           canonical model id (normalised, see {@link PriceTable#resolve})
 * @param aliases         other ids of the same model, e.g. dated snapshots
 * @param maxOutputTokens output cap for estimates, or {@code null} for the provider default
 * @param source          where the prices come from
 * @param checked         when they were last confirmed ({@code YYYY-MM-DD}, {@code YYYY-MM} or {@code YYYY})
 */
public record ModelPrice(String provider, String model, List<String> aliases, Rates rates, List<Tier> tiers,
                         Long maxOutputTokens, String source, String checked) {

    public ModelPrice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rates, "rates");
        aliases = List.copyOf(aliases);
        // Ascending thresholds: the last tier that applies is the highest one crossed.
        tiers = tiers.stream().sorted(Comparator.comparingLong(Tier::threshold)).toList();
    }

    /** The rates for this usage: the highest tier whose threshold it crosses, else the base rates. */
    public Rates ratesFor(Usage usage) {
        Rates chosen = rates;
        for (Tier tier : tiers) {
            if (tier.appliesTo(usage)) {
                chosen = tier.rates();
            }
        }
        return chosen;
    }

    public long input() {
        return rates.input();
    }

    public long cachedInput() {
        return rates.cachedInput();
    }

    public long cacheWrite5m() {
        return rates.cacheWrite5m();
    }

    public long cacheWrite1h() {
        return rates.cacheWrite1h();
    }

    public long output() {
        return rates.output();
    }
}
