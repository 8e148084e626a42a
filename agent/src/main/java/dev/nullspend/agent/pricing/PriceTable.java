package dev.nullspend.agent.pricing;

import dev.nullspend.agent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model prices and their resolution from the model ids a call names (docs/pricing.md#how-a-models-price-is-found). Immutable
 * and thread-safe; resolutions are memoised in a bounded cache.
 *
 * <p>The bundled table ({@code prices.json} next to this class) holds every priced row of
 * docs/pricing.md#price-sheet; a {@code nullspend.pricing-file} in the same format extends or replaces rows via
 * {@link #withOverrides}.
 */
public final class PriceTable {
    /** Vendors whose APIs serve only their own models: no cross-provider lookup for them. */
    private static final Set<String> NATIVE_PROVIDERS = Set.of("openai", "anthropic", "google");
    /** Bound on memoised resolutions; beyond it, lookups still work, uncached. */
    static final int CACHE_LIMIT = 4096;

    /** An explicit prefix rule: ids starting with {@code prefix} are priced as {@code model}. */
    record PrefixFallback(String prefix, String model) {
    }

    private record Key(String provider, String requestModel, String responseModel) {
        // Written out: a record's own equals and hashCode go through method handles (ObjectMethods),
        // which showed in the profile of every call's settle.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(provider, k.provider) && Objects.equals(requestModel, k.requestModel)
                    && Objects.equals(responseModel, k.responseModel);
        }

        @Override
        public int hashCode() {
            return (Objects.hashCode(provider) * 31 + Objects.hashCode(requestModel)) * 31 + Objects.hashCode(responseModel);
        }
    }

    private final List<ModelPrice> prices;
    /** Per provider, longest prefix first. */
    private final Map<String, List<PrefixFallback>> fallbacks = new HashMap<>();
    /** Per provider: canonical id or alias → price. */
    private final Map<String, Map<String, ModelPrice>> idsByProvider = new HashMap<>();
    /** Every provider's ids together, for calls through gateways and OpenAI-compatible hosts. */
    private final Map<String, ModelPrice> idsOfAnyProvider = new HashMap<>();
    private final Map<Key, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();

    PriceTable(List<ModelPrice> prices, Map<String, List<PrefixFallback>> fallbacks) {
        this.prices = List.copyOf(prices);
        for (ModelPrice price : this.prices) {
            Map<String, ModelPrice> ids = idsByProvider.computeIfAbsent(price.provider(), p -> new HashMap<>());
            ids.put(price.model(), price);
            idsOfAnyProvider.putIfAbsent(price.model(), price);
            for (String alias : price.aliases()) {
                ids.put(alias, price);
                idsOfAnyProvider.putIfAbsent(alias, price);
            }
        }
        fallbacks.forEach((provider, list) -> this.fallbacks.put(provider, list.stream()
                .sorted(Comparator.comparingInt((PrefixFallback f) -> f.prefix().length()).reversed())
                .toList()));
    }

    /** The table bundled in the agent jar, loaded once. */
    public static PriceTable bundled() {
        return Bundled.TABLE;
    }

    /**
     * Reads a price file (format: the bundled {@code prices.json}). The stream is read to its end
     * and not closed.
     *
     * @param origin names the file in error messages
     * @throws PriceTableException naming the file, the row and the field of the first problem
     */
    public static PriceTable parse(InputStream in, String origin) throws PriceTableException {
        return PriceFileParser.parse(in, origin);
    }

    /**
     * This table with {@code other}'s rows on top: a row of {@code other} replaces every row of the
     * same provider that shares its id or one of its aliases (dated ids of a replaced row then
     * reach the new row through date stripping); other rows are added. {@code other}'s prefix
     * fallbacks replace ones with the same prefix.
     */
    public PriceTable withOverrides(PriceTable other) {
        List<ModelPrice> merged = new ArrayList<>();
        for (ModelPrice price : prices) {
            if (!other.hasAnyIdOf(price)) {
                merged.add(price);
            }
        }
        merged.addAll(other.prices);
        Map<String, List<PrefixFallback>> mergedFallbacks = new HashMap<>(fallbacks);
        other.fallbacks.forEach((provider, theirs) -> {
            List<PrefixFallback> list = new ArrayList<>(theirs);
            for (PrefixFallback mine : fallbacks.getOrDefault(provider, List.of())) {
                if (theirs.stream().noneMatch(f -> f.prefix().equals(mine.prefix()))) {
                    list.add(mine);
                }
            }
            mergedFallbacks.put(provider, list);
        });
        PriceTable table = new PriceTable(merged, mergedFallbacks);
        table.warnAboutDanglingFallbacks();
        return table;
    }

    /**
     * The price for a call, or {@code null} when the model is unknown. Steps, first hit wins:
     * normalise both ids; the request model's exact id or alias; the response model's (OpenAI's
     * resolved snapshot, Gemini's {@code modelVersion}, Azure's model behind a deployment name);
     * both again without a date suffix; the provider's explicit prefix fallbacks. Never an implicit
     * prefix match: {@code claude-opus-4} does not price {@code claude-opus-4-5}. A provider other
     * than openai/anthropic/google (a gateway, Azure, Bedrock, an OpenAI-compatible host) then
     * also tries every provider's ids and dated ids.
     *
     * @param provider      provider id of the call
     * @param requestModel  the model the request named, or {@code null}
     * @param responseModel the model the response reported, or {@code null}
     */
    public ModelPrice resolve(String provider, String requestModel, String responseModel) {
        Key key = new Key(provider, requestModel, responseModel);
        Optional<ModelPrice> hit = resolved.get(key);
        if (hit == null) {
            hit = Optional.ofNullable(lookup(provider, requestModel, responseModel));
            if (resolved.size() < CACHE_LIMIT) {
                resolved.put(key, hit);
            }
        }
        return hit.orElse(null);
    }

    /** Every row, in file order (overrides last). */
    public List<ModelPrice> prices() {
        return prices;
    }

    List<PrefixFallback> prefixFallbacks(String provider) {
        return fallbacks.getOrDefault(provider, List.of());
    }

    int cachedResolutions() {
        return resolved.size();
    }

    private ModelPrice lookup(String provider, String requestModel, String responseModel) {
        String p = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
        String request = ModelIds.normalise(requestModel);
        String response = ModelIds.normalise(responseModel);
        Map<String, ModelPrice> ids = idsByProvider.getOrDefault(p, Map.of());
        // Bedrock's global profile is cheaper than its regional endpoints for recent Claude models.
        ModelPrice hit = exactOrUndated(ids, ModelIds.globalProfile(requestModel), null);
        if (hit == null) {
            hit = exactOrUndated(ids, request, response);
        }
        if (hit == null) {
            hit = byPrefix(ids, fallbacks.getOrDefault(p, List.of()), request, response);
        }
        if (hit == null && !NATIVE_PROVIDERS.contains(p)) {
            hit = exactOrUndated(idsOfAnyProvider, request, response);
        }
        return hit;
    }

    private static ModelPrice exactOrUndated(Map<String, ModelPrice> ids, String request, String response) {
        for (String id : new String[] {request, response, ModelIds.stripDate(request), ModelIds.stripDate(response)}) {
            ModelPrice hit = id == null ? null : ids.get(id);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    private static ModelPrice byPrefix(Map<String, ModelPrice> ids, List<PrefixFallback> rules,
                                       String request, String response) {
        for (String id : new String[] {request, response}) {
            if (id == null) {
                continue;
            }
            for (PrefixFallback rule : rules) {
                if (id.startsWith(rule.prefix()) && ids.containsKey(rule.model())) {
                    return ids.get(rule.model());
                }
            }
        }
        return null;
    }

    private boolean hasAnyIdOf(ModelPrice price) {
        Map<String, ModelPrice> ids = idsByProvider.getOrDefault(price.provider(), Map.of());
        return ids.containsKey(price.model()) || price.aliases().stream().anyMatch(ids::containsKey);
    }

    /**
     * A fallback whose target has no row never fires. Checked only after merging, because an
     * override file's fallbacks may point at bundled rows.
     */
    private void warnAboutDanglingFallbacks() {
        fallbacks.forEach((provider, list) -> list.stream()
                .filter(f -> !idsByProvider.getOrDefault(provider, Map.of()).containsKey(f.model()))
                .forEach(f -> AgentLog.warnOnce("pricing-fallback:" + provider + "/" + f.prefix(),
                        "pricing: prefix fallback '" + f.prefix() + "' of provider " + provider
                                + " points to unknown model '" + f.model() + "' and is ignored")));
    }

    /** Holder: the bundled table is parsed on first use, once. */
    private static final class Bundled {
        static final PriceTable TABLE = load();

        private static PriceTable load() {
            try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
                if (in == null) {
                    throw new IllegalStateException("prices.json is missing next to " + PriceTable.class.getName());
                }
                return parse(in, "bundled prices.json");
            } catch (IOException | PriceTableException e) {
                throw new IllegalStateException("the bundled price table is unusable: " + e.getMessage(), e);
            }
        }
    }
}
