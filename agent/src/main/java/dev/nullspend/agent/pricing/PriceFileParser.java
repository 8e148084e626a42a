package dev.nullspend.agent.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a price file (the bundled {@code prices.json} or a
 * {@code nullspend.pricing-file}). The file is small, so it is read into plain maps and lists
 * first; validation then knows the whole row and can name it in every error. Keys starting with
 * {@code _} are comments and ignored; any other unknown key is an error (it is usually a typo).
 */
final class PriceFileParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> TOP_KEYS = Set.of("models", "prefixFallbacks");
    private static final Set<String> ROW_KEYS = Set.of("provider", "model", "aliases", "input", "cachedInput",
            "cacheWrite5m", "cacheWrite1h", "output", "maxOutputTokens", "tiers", "source", "checked");
    private static final Set<String> TIER_KEYS = Set.of("when", "input", "cachedInput", "cacheWrite5m",
            "cacheWrite1h", "output");
    private static final Set<String> FALLBACK_KEYS = Set.of("prefix", "model");
    /** {@code YYYY-MM-DD}, or {@code YYYY-MM} / {@code YYYY} where a source is dated only that precisely. */
    private static final Pattern CHECKED_DATE =
            Pattern.compile("20\\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?");
    /** Prices are $/MTok with at most 6 decimals, i.e. whole µ$/MTok. */
    private static final int MAX_DECIMALS = 6;

    private final String origin;

    private PriceFileParser(String origin) {
        this.origin = origin;
    }

    static PriceTable parse(InputStream in, String origin) throws PriceTableException {
        return new PriceFileParser(origin).parse(in);
    }

    private PriceTable parse(InputStream in) throws PriceTableException {
        Object root;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() == null) {
                throw fail("the file", null, "is empty");
            }
            root = readValue(p);
            if (p.nextToken() != null) {
                throw fail("the file", null, "unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw new PriceTableException(origin + ": invalid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new PriceTableException(origin + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Object> top = object(root, "the file", null);
        checkKeys(top, TOP_KEYS, "the file");
        return new PriceTable(models(top.get("models")), fallbacks(top.get("prefixFallbacks")));
    }

    private List<ModelPrice> models(Object node) throws PriceTableException {
        List<ModelPrice> rows = new ArrayList<>();
        if (node == null) {
            return rows;
        }
        Map<String, String> owners = new HashMap<>();
        List<Object> nodes = array(node, "the file", "models");
        for (int i = 0; i < nodes.size(); i++) {
            ModelPrice row = row(nodes.get(i), "models[" + i + "]");
            List<String> ids = new ArrayList<>(row.aliases());
            ids.add(0, row.model());
            for (String id : ids) {
                String owner = owners.putIfAbsent(row.provider() + "/" + id, "models[" + i + "]");
                if (owner != null) {
                    throw fail("models[" + i + "] (" + row.provider() + "/" + row.model() + ")",
                            id.equals(row.model()) ? "model" : "aliases",
                            "'" + id + "' is already used by " + owner);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private ModelPrice row(Object node, String index) throws PriceTableException {
        Map<String, Object> m = object(node, index, null);
        String provider = text(m, index, "provider").toLowerCase(Locale.ROOT);
        String model = id(m.get("model"), index, "model");
        String where = index + " (" + provider + "/" + model + ")";
        checkKeys(m, ROW_KEYS, where);
        List<String> aliases = new ArrayList<>();
        for (Object alias : m.containsKey("aliases") ? array(m.get("aliases"), where, "aliases") : List.of()) {
            aliases.add(id(alias, where, "aliases"));
        }
        List<Tier> tiers = new ArrayList<>();
        int t = 0;
        for (Object tier : m.containsKey("tiers") ? array(m.get("tiers"), where, "tiers") : List.of()) {
            tiers.add(tier(tier, where + " tiers[" + t++ + "]"));
        }
        return new ModelPrice(provider, model, aliases, rates(m, where), tiers,
                m.containsKey("maxOutputTokens") ? wholeNumber(m.get("maxOutputTokens"), where, "maxOutputTokens", 1) : null,
                text(m, where, "source"), checked(m, where));
    }

    private Tier tier(Object node, String where) throws PriceTableException {
        Map<String, Object> m = object(node, where, null);
        checkKeys(m, TIER_KEYS, where);
        Map<String, Object> when = object(m.get("when"), where, "when");
        checkKeys(when, Set.of(Tier.Basis.TOTAL_INPUT.jsonKey(), Tier.Basis.PROMPT.jsonKey()), where + " when");
        if (when.size() != 1) {
            throw fail(where, "when", "needs exactly one condition: totalInputGt or promptGt");
        }
        Tier.Basis basis = when.containsKey("totalInputGt") ? Tier.Basis.TOTAL_INPUT : Tier.Basis.PROMPT;
        long threshold = wholeNumber(when.get(basis.jsonKey()), where, "when." + basis.jsonKey(), 0);
        return new Tier(basis, threshold, rates(m, where));
    }

    /** A full price set; absent cache prices take the input rate (see {@link Rates}). */
    private Rates rates(Map<String, Object> m, String where) throws PriceTableException {
        long input = price(m, where, "input", null);
        return new Rates(input,
                price(m, where, "cachedInput", input),
                price(m, where, "cacheWrite5m", input),
                price(m, where, "cacheWrite1h", input),
                price(m, where, "output", null));
    }

    private Map<String, List<PriceTable.PrefixFallback>> fallbacks(Object node) throws PriceTableException {
        Map<String, List<PriceTable.PrefixFallback>> result = new HashMap<>();
        if (node == null) {
            return result;
        }
        for (Map.Entry<String, Object> e : object(node, "prefixFallbacks", null).entrySet()) {
            if (e.getKey().startsWith("_")) {
                continue;
            }
            String provider = e.getKey().trim().toLowerCase(Locale.ROOT);
            if (provider.isEmpty()) {
                throw fail("prefixFallbacks", null, "a provider name is empty");
            }
            List<PriceTable.PrefixFallback> list = new ArrayList<>();
            int i = 0;
            for (Object entry : array(e.getValue(), "prefixFallbacks", e.getKey())) {
                String where = "prefixFallbacks." + e.getKey() + "[" + i++ + "]";
                Map<String, Object> m = object(entry, where, null);
                checkKeys(m, FALLBACK_KEYS, where);
                String prefix = text(m, where, "prefix").toLowerCase(Locale.ROOT);
                if (list.stream().anyMatch(f -> f.prefix().equals(prefix))) {
                    throw fail(where, "prefix", "'" + prefix + "' is declared twice");
                }
                list.add(new PriceTable.PrefixFallback(prefix, id(m.get("model"), where, "model")));
            }
            result.put(provider, list);
        }
        return result;
    }

    private long price(Map<String, Object> m, String where, String field, Long whenAbsent) throws PriceTableException {
        Object v = m.get(field);
        if (v == null) {
            if (whenAbsent != null) {
                return whenAbsent;
            }
            throw fail(where, field, "missing");
        }
        if (!(v instanceof String s)) {
            throw fail(where, field, "must be a decimal string in $/MTok, e.g. \"2.50\"");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw fail(where, field, "\"" + s + "\" is not a decimal number");
        }
        if (d.signum() < 0) {
            throw fail(where, field, "\"" + s + "\" is negative");
        }
        if (d.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw fail(where, field, "\"" + s + "\" has more than " + MAX_DECIMALS
                    + " decimal places (the smallest unit is 0.000001 $/MTok)");
        }
        try {
            return d.movePointRight(MAX_DECIMALS).longValueExact();
        } catch (ArithmeticException e) {
            throw fail(where, field, "\"" + s + "\" is too large");
        }
    }

    private long wholeNumber(Object v, String where, String field, long min) throws PriceTableException {
        if (v instanceof BigDecimal d) {
            try {
                long n = d.longValueExact();
                if (n >= min) {
                    return n;
                }
            } catch (ArithmeticException e) {
                // reported below
            }
        }
        throw fail(where, field, "must be a whole number ≥ " + min);
    }

    private String checked(Map<String, Object> m, String where) throws PriceTableException {
        String s = text(m, where, "checked");
        if (!CHECKED_DATE.matcher(s).matches()) {
            throw fail(where, "checked", "\"" + s + "\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)");
        }
        return s;
    }

    /** A model id, normalised the way requests are, so that lookups find it (a Bedrock global-profile id keeps {@code global.}). */
    private String id(Object v, String where, String field) throws PriceTableException {
        String id = null;
        if (v instanceof String s) {
            id = ModelIds.globalProfile(s);
            if (id == null) {
                id = ModelIds.normalise(s);
            }
        }
        if (id == null) {
            throw fail(where, field, v == null ? "missing" : "must be a non-empty string");
        }
        return id;
    }

    private String text(Map<String, Object> m, String where, String field) throws PriceTableException {
        Object v = m.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw fail(where, field, v == null ? "missing" : "must be a non-empty string");
        }
        return s.trim();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object v, String where, String field) throws PriceTableException {
        if (!(v instanceof Map)) {
            throw fail(where, field, v == null ? "missing" : "must be a JSON object");
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(Object v, String where, String field) throws PriceTableException {
        if (!(v instanceof List)) {
            throw fail(where, field, v == null ? "missing" : "must be a JSON array");
        }
        return (List<Object>) v;
    }

    private void checkKeys(Map<String, Object> m, Set<String> allowed, String where) throws PriceTableException {
        for (String key : m.keySet()) {
            if (!key.startsWith("_") && !allowed.contains(key)) {
                throw fail(where, key, "unknown field (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private PriceTableException fail(String where, String field, String problem) {
        return new PriceTableException(origin + ": " + where + (field == null ? "" : ", field '" + field + "'")
                + ": " + problem);
    }

    /** JSON to maps, lists, strings, {@link BigDecimal} numbers, booleans and nulls. */
    private static Object readValue(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, readValue(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + token);
        };
    }
}
