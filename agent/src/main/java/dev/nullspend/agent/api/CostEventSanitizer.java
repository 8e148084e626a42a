package dev.nullspend.agent.api;

import dev.nullspend.api.CostEvent;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Makes a cost event valid for the API's ingest schema (docs/nullspend-api-contract.md#cost-event, #sanitising), so that one bad
 * event never gets a whole batch refused: each offending field is fixed or dropped, the event is
 * never lost. An event that is already valid is returned as the same instance.
 *
 * <p>Fixes: token counts and {@code durationMs} below 0 → 0 / dropped; a cost below 0 or above
 * 2^53−1 → clamped, breakdown dropped (it would no longer add up); {@code provider}, {@code model}
 * empty → {@code "unknown"}; strings over their limits truncated (never inside a surrogate pair);
 * an empty {@code customer} dropped; a {@code traceId} that is 32 hex characters lower-cased,
 * any other moved into the tag {@value #TRACE_ID_TAG} when a tag is free, else dropped; a missing
 * {@code idempotencyKey} made, one over 200 characters replaced by a name-based UUID of it (the same
 * on every retry, so deduplication still holds). Tags: keys with other characters than
 * {@code [a-zA-Z0-9_-]} get {@code _} instead, are cut to 64 and dropped when empty or repeated;
 * values lose NUL characters and are cut to 256; then at most 10 are kept, {@code _ns_*} tags first,
 * the others in their order, the excess from the end.
 */
public final class CostEventSanitizer {
    public static final int MAX_TAGS = 10;
    public static final String TRACE_ID_TAG = "_ns_trace_id";
    static final long MAX_COST = (1L << 53) - 1;

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern TAG_KEY_BAD_CHARS = Pattern.compile("[^a-zA-Z0-9_-]");

    /** What was fixed, for counting and for one log line per kind. */
    public enum Fix {
        NEGATIVE_TOKENS("negative token counts set to 0"),
        COST("costMicrodollars outside 0..2^53-1 clamped, its breakdown dropped"),
        DURATION("negative durationMs dropped"),
        PROVIDER("provider empty or over 100 characters"),
        MODEL("model empty or over 200 characters"),
        SESSION_ID("sessionId over 200 characters truncated"),
        TOOL_NAME("toolName or toolServer over 200 characters truncated"),
        CUSTOMER("customer empty (dropped) or over 256 characters (truncated)"),
        TRACE_ID("traceId not 32 hexadecimal characters: moved to tag " + TRACE_ID_TAG + " or dropped"),
        IDEMPOTENCY_KEY("idempotencyKey missing or over 200 characters replaced"),
        TAG_KEY("tag keys outside [a-zA-Z0-9_-]{1,64} fixed or dropped"),
        TAG_VALUE("tag values with NUL or over 256 characters fixed"),
        TAG_COUNT("more than 10 tags (_ns_* included): the last user tags dropped");

        private final String description;

        Fix(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The event to send and what was changed (empty set: {@code event} is the input). */
    public record Result(CostEvent event, Set<Fix> fixes) {
    }

    private CostEventSanitizer() {
    }

    public static Result sanitize(CostEvent e) {
        EnumSet<Fix> fixes = EnumSet.noneOf(Fix.class);
        CostEvent.Builder b = e.toBuilder();

        b.inputTokens(nonNegative(e.inputTokens(), fixes));
        b.outputTokens(nonNegative(e.outputTokens(), fixes));
        b.cachedInputTokens(nonNegative(e.cachedInputTokens(), fixes));
        b.reasoningTokens(nonNegative(e.reasoningTokens(), fixes));
        if (e.costMicrodollars() < 0 || e.costMicrodollars() > MAX_COST) {
            fixes.add(Fix.COST);
            b.costMicrodollars(e.costMicrodollars() < 0 ? 0 : MAX_COST).costBreakdown(null);
        }
        if (e.durationMs() != null && e.durationMs() < 0) {
            fixes.add(Fix.DURATION);
            b.durationMs(null);
        }
        b.provider(required(e.provider(), 100, Fix.PROVIDER, fixes));
        b.model(required(e.model(), 200, Fix.MODEL, fixes));
        b.sessionId(truncate(e.sessionId(), 200, Fix.SESSION_ID, fixes));
        b.toolName(truncate(e.toolName(), 200, Fix.TOOL_NAME, fixes));
        b.toolServer(truncate(e.toolServer(), 200, Fix.TOOL_NAME, fixes));
        if (e.customer() != null && e.customer().isEmpty()) {
            fixes.add(Fix.CUSTOMER);
            b.customer(null);
        } else {
            b.customer(truncate(e.customer(), 256, Fix.CUSTOMER, fixes));
        }
        b.idempotencyKey(idempotencyKey(e.idempotencyKey(), fixes));

        Map<String, String> tags = tags(e.tags(), fixes);
        String traceId = e.traceId();
        if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
            fixes.add(Fix.TRACE_ID);
            if (tags.size() < MAX_TAGS && !tags.containsKey(TRACE_ID_TAG)) {
                tags.put(TRACE_ID_TAG, tagValue(traceId, fixes));
            }
            traceId = null;
        } else if (traceId != null) {
            traceId = traceId.toLowerCase(Locale.ROOT); // lower-casing alone is not worth reporting
        }
        if (fixes.isEmpty() && (traceId == null || traceId.equals(e.traceId()))) {
            return new Result(e, Set.of());
        }
        return new Result(b.traceId(traceId).clearTags().tags(tags).build(), fixes);
    }

    private static long nonNegative(long v, Set<Fix> fixes) {
        if (v >= 0) {
            return v;
        }
        fixes.add(Fix.NEGATIVE_TOKENS);
        return 0;
    }

    private static String required(String v, int max, Fix fix, Set<Fix> fixes) {
        if (v.isEmpty()) {
            fixes.add(fix);
            return "unknown";
        }
        return truncate(v, max, fix, fixes);
    }

    private static String truncate(String v, int max, Fix fix, Set<Fix> fixes) {
        if (v == null || v.length() <= max) {
            return v;
        }
        fixes.add(fix);
        return cut(v, max);
    }

    /** The first {@code max} UTF-16 units (the API counts JavaScript string length), never half a surrogate pair. */
    static String cut(String v, int max) {
        if (v.length() <= max) {
            return v;
        }
        int end = Character.isHighSurrogate(v.charAt(max - 1)) ? max - 1 : max;
        return v.substring(0, end);
    }

    private static String idempotencyKey(String key, Set<Fix> fixes) {
        if (key != null && key.length() <= 200) {
            return key;
        }
        fixes.add(Fix.IDEMPOTENCY_KEY);
        UUID uuid = key == null ? UUID.randomUUID() : UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        return "ns_" + uuid;
    }

    /** Valid keys and values, {@code _ns_*} first, at most {@link #MAX_TAGS}. */
    private static Map<String, String> tags(Map<String, String> in, Set<Fix> fixes) {
        Map<String, String> internal = new LinkedHashMap<>();
        Map<String, String> user = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : in.entrySet()) {
            if (tag.getValue() == null) {
                continue; // never written
            }
            String key = tagKey(tag.getKey(), fixes);
            if (key == null || internal.containsKey(key) || user.containsKey(key)) {
                if (key != null) {
                    fixes.add(Fix.TAG_KEY);
                }
                continue;
            }
            (key.startsWith("_ns_") ? internal : user).put(key, tagValue(tag.getValue(), fixes));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> group : List.of(internal, user)) {
            for (Map.Entry<String, String> tag : group.entrySet()) {
                if (out.size() == MAX_TAGS) {
                    fixes.add(Fix.TAG_COUNT);
                    return out;
                }
                out.put(tag.getKey(), tag.getValue());
            }
        }
        return out;
    }

    private static String tagKey(String key, Set<Fix> fixes) {
        if (TAG_KEY.matcher(key).matches()) {
            return key;
        }
        fixes.add(Fix.TAG_KEY);
        String fixed = TAG_KEY_BAD_CHARS.matcher(key).replaceAll("_");
        fixed = fixed.length() > 64 ? fixed.substring(0, 64) : fixed;
        return fixed.isEmpty() ? null : fixed;
    }

    private static String tagValue(String value, Set<Fix> fixes) {
        String v = value;
        if (v.indexOf('\0') >= 0) {
            v = v.replace("\0", "");
        }
        v = cut(v, 256);
        if (!v.equals(value)) {
            fixes.add(Fix.TAG_VALUE);
        }
        return v;
    }
}
