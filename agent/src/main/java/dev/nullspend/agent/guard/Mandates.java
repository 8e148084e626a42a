package dev.nullspend.agent.guard;

import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.Recovery;

import java.util.List;
import java.util.Locale;

/**
 * Allowed providers and models. A pattern may use {@code *} for any run of characters
 * ({@code claude-*}, {@code *-mini}); matching ignores case. An absent list allows everything;
 * a call whose request names no model is checked as {@code unknown}, which only {@code *} allows.
 */
final class Mandates {
    static final String ALLOWED_MODELS = "allowed_models";
    static final String ALLOWED_PROVIDERS = "allowed_providers";

    private final List<String> models;
    private final List<String> providers;
    /** How the owner of these lists extends them, for the denial message. */
    private final String modelsFix;
    private final String providersFix;

    /**
     * @param models    allowed model patterns, or {@code null} for no restriction
     * @param providers allowed provider patterns, or {@code null} for no restriction
     */
    Mandates(List<String> models, List<String> providers, String modelsFix, String providersFix) {
        this.models = models == null ? null : List.copyOf(models);
        this.providers = providers == null ? null : List.copyOf(providers);
        this.modelsFix = modelsFix;
        this.providersFix = providersFix;
    }

    /** The violation of this call, providers first (as the reference SDK checks), or {@code null}. */
    MandateViolationException check(String provider, String model) {
        if (providers != null && !anyMatches(providers, provider)) {
            return violation(ALLOWED_PROVIDERS, "provider", provider, providers, providersFix);
        }
        if (models != null && !anyMatches(models, model)) {
            return violation(ALLOWED_MODELS, "model", model, models, modelsFix);
        }
        return null;
    }

    private static MandateViolationException violation(String mandate, String what, String requested,
                                                       List<String> allowed, String fix) {
        return new MandateViolationException(mandate, requested, allowed,
                "Mandate violation: " + what + " " + requested + " is not allowed (" + mandate + ": "
                        + String.join(", ", allowed) + "). Call an allowed " + what + ", or " + fix + ". See "
                        + Recovery.DOCS_BASE + "mandate-violation");
    }

    private static boolean anyMatches(List<String> patterns, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (globMatches(p.toLowerCase(Locale.ROOT), v)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} matches any run of characters (also none); every other character matches itself. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
