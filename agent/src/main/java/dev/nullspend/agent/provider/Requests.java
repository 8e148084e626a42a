package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Reading requests, for every {@link LlmApi}: the method and path gate every recognition starts
 * with, the body fields, and the output-token cap.
 */
public final class Requests {

    /** Caps beyond this are not real limits, and would make estimates absurd. */
    public static final long MAX_OUTPUT_TOKENS = 1_000_000;
    private static final BigDecimal MAX_OUTPUT = BigDecimal.valueOf(MAX_OUTPUT_TOKENS);

    private Requests() {
    }

    /** True when {@code exchange} is a POST. */
    public static boolean isPost(Exchange exchange) {
        return isPost(exchange.method());
    }

    /** True when {@code method} is POST, in any case. */
    public static boolean isPost(String method) {
        return method != null && method.equalsIgnoreCase("POST");
    }

    /**
     * True when {@code exchange} is a POST whose path ends with {@code suffix} (a trailing slash
     * ignored). Touches neither headers nor body: the cheap first gate for every request.
     */
    public static boolean isPostTo(Exchange exchange, String suffix) {
        String path = exchange.path();
        return isPostTo(exchange.method(), path, 0, path.length(), suffix);
    }

    /**
     * As {@link #isPostTo(Exchange, String)} for the raw path held in {@code target} from
     * {@code pathStart} to {@code pathEnd} (see {@link #pathStart}). Allocates nothing.
     */
    public static boolean isPostTo(String method, String target, int pathStart, int pathEnd, String suffix) {
        if (!isPost(method)) {
            return false;
        }
        int end = pathEnd;
        if (end > pathStart && target.charAt(end - 1) == '/') {
            end--;
        }
        int start = end - suffix.length();
        return start >= pathStart && target.regionMatches(start, suffix, 0, suffix.length());
    }

    /**
     * Where the raw path starts in a request target as a client holds it: 0 in origin form
     * ({@code /v1/x?q=1}, or an empty target), after the authority in absolute form
     * ({@code https://h:8443/v1/x}; the end of the authority when there is no path); -1 for any
     * other form (a relative reference, {@code *}, null), which the caller takes as "could be any path".
     */
    public static int pathStart(String target) {
        if (target == null) {
            return -1;
        }
        if (target.isEmpty() || target.charAt(0) == '/') {
            return 0;
        }
        int scheme = target.indexOf("://");
        if (scheme <= 0 || target.indexOf('/') != scheme + 1) {
            return -1;
        }
        int i = scheme + 3;
        while (i < target.length() && target.charAt(i) != '/' && target.charAt(i) != '?' && target.charAt(i) != '#') {
            i++;
        }
        return i;
    }

    /** Where the path that starts at {@code pathStart} ends: at the query or fragment, else at the target's end. */
    public static int pathEnd(String target, int pathStart) {
        int i = pathStart;
        while (i < target.length() && target.charAt(i) != '?' && target.charAt(i) != '#') {
            i++;
        }
        return i;
    }

    /** The string at {@code path}, or null when it is absent, not a string or empty. */
    public static String nonEmptyText(JsonPicker picker, String path) {
        String text = picker.text(path);
        return text == null || text.isEmpty() ? null : text;
    }

    /** Picks {@code paths} from a request body (complete or a bounded prefix of it). */
    public static JsonPicker pick(byte[] body, JsonPaths paths) {
        JsonPicker picker = new JsonPicker(paths);
        picker.feed(body, 0, body.length);
        picker.end();
        return picker;
    }

    /**
     * The output-token cap from the first of {@code paths} holding a usable one ({@code
     * max_completion_tokens ?? max_tokens}): a positive number or numeric string, rounded up,
     * clamped to {@link #MAX_OUTPUT_TOKENS}; booleans, arrays, zero, negatives and non-numbers
     * are ignored. Null when none is usable.
     */
    public static Long maxOutputTokens(JsonPicker picker, String... paths) {
        for (String path : paths) {
            Long cap = sanitiseCap(picker.decimal(path));
            if (cap != null) {
                return cap;
            }
        }
        return null;
    }

    static Long sanitiseCap(BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            return null;
        }
        // Compare before rounding: setScale on an extreme exponent would be costly.
        if (value.compareTo(MAX_OUTPUT) >= 0) {
            return MAX_OUTPUT_TOKENS;
        }
        if (value.compareTo(BigDecimal.ONE) <= 0) {
            return 1L;
        }
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
