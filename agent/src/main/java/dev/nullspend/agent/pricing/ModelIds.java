package dev.nullspend.agent.pricing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Model id normalisation and date-suffix stripping (docs/pricing.md#how-a-models-price-is-found, steps 1 and 4). */
final class ModelIds {
    private static final List<String> PATH_PREFIXES = List.of("models/", "openai/", "anthropic/", "google/");
    /** Bedrock's global cross-region profile, priced apart from the regional endpoints for some models. */
    static final String GLOBAL = "global.";
    private static final List<String> BEDROCK_REGIONS = List.of("us.", "eu.", "apac.", "jp.", "au.", GLOBAL);
    private static final String BEDROCK_VENDOR = "anthropic.";
    /** Bedrock model versions: {@code -v1:0}, and {@code -v2:0} of e.g. Claude 3.5 Sonnet v2. */
    private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+:\\d+$");

    /**
     * {@code -YYYY-MM-DD}, {@code -YYYYMMDD}, {@code -MM-DD}, {@code -preview-MM-DD}, and Vertex's
     * {@code @YYYYMMDD}. The leftmost match wins, so {@code gpt-4o-2024-08-06} loses the whole date,
     * not just {@code -08-06}. Month and day ranges keep version numbers like {@code -12-34} intact.
     */
    private static final Pattern DATE_SUFFIX = Pattern.compile(
            "(?:-20\\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])"
                    + "|[-@]20\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])"
                    + "|(?:-preview)?-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01]))$");

    private ModelIds() {
    }

    /**
     * Lower-cases and strips routing decorations: {@code models/}, {@code openai/},
     * {@code anthropic/}, {@code google/}, Bedrock region profiles and vendor prefix, a Bedrock
     * version suffix and {@code @latest}. Returns {@code null} for a null or blank id.
     */
    static String normalise(String id) {
        if (id == null) {
            return null;
        }
        String s = id.trim().toLowerCase(Locale.ROOT);
        s = stripPathPrefixes(s);
        for (String region : BEDROCK_REGIONS) {
            if (s.startsWith(region)) {
                s = s.substring(region.length());
                break;
            }
        }
        if (s.startsWith(BEDROCK_VENDOR)) {
            s = s.substring(BEDROCK_VENDOR.length());
        }
        if (s.endsWith("@latest")) {
            s = s.substring(0, s.length() - "@latest".length());
        }
        s = BEDROCK_VERSION.matcher(s).replaceFirst("");
        return s.isEmpty() ? null : s;
    }

    /**
     * For an id on Bedrock's global profile ({@code global.anthropic.claude-sonnet-4-5-20250929-v1:0}):
     * the id normalised with {@code global.} kept in front ({@code global.claude-sonnet-4-5-20250929}),
     * which a provider's own row may name when the global profile has its own price; else null.
     */
    static String globalProfile(String id) {
        if (id == null || !id.trim().toLowerCase(Locale.ROOT).startsWith(GLOBAL)) {
            return null;
        }
        String normalised = normalise(id);
        return normalised == null ? null : GLOBAL + normalised;
    }

    /** The id without its date suffix, or {@code null} when it has none. */
    static String stripDate(String normalisedId) {
        if (normalisedId == null) {
            return null;
        }
        Matcher m = DATE_SUFFIX.matcher(normalisedId);
        return m.find() && m.start() > 0 ? normalisedId.substring(0, m.start()) : null;
    }

    private static String stripPathPrefixes(String s) {
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String prefix : PATH_PREFIXES) {
                if (s.startsWith(prefix)) {
                    s = s.substring(prefix.length());
                    stripped = true;
                }
            }
        }
        return s;
    }
}
