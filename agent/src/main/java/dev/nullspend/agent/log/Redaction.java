package dev.nullspend.agent.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps credentials out of everything the agent prints: the password of a URL's user-info
 * ({@code https://user:****@host/…}) and the values registered with {@link #secret} (the API key).
 * {@link AgentLog} passes every line and every exception text through {@link #text}, so a message
 * that quotes a URL or a key by mistake still prints neither; callers that render a URL on purpose
 * (the start-up line, the exit summary) use {@link #url}.
 *
 * <p>Plain string scanning, no regular expressions: it runs in premain and on every log line.
 */
public final class Redaction {
    public static final String MASK = "****";

    /** Secrets shorter than this are not masked in free text: it would mangle ordinary words. */
    static final int MIN_SECRET_LENGTH = 4;
    /** A process has one or two keys; the bound only keeps a bug from growing the set without end. */
    private static final int MAX_SECRETS = 16;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Redaction() {
    }

    /** Registers a value (an API key) that no log line may contain from now on. */
    public static void secret(String value) {
        if (value != null && value.length() >= MIN_SECRET_LENGTH && SECRETS.size() < MAX_SECRETS) {
            SECRETS.add(value);
        }
    }

    /** Forgets the registered secrets (tests). */
    static void clearSecrets() {
        SECRETS.clear();
    }

    /**
     * The URL with the password of its user-info masked: {@code https://user:pw@host/p} →
     * {@code https://user:****@host/p}. A URL without a password, or a string without
     * {@code ://}, is returned unchanged; null stays null.
     */
    public static String url(String url) {
        return url == null ? null : maskUserInfo(url);
    }

    /** Free text (a log line, an exception's message) with every URL password and every registered secret masked. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = maskUserInfo(text);
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** Masks what follows the first {@code :} of each {@code scheme://user-info@} in {@code s}. */
    private static String maskUserInfo(String s) {
        int from = s.indexOf("://");
        if (from < 0) {
            return s;
        }
        StringBuilder out = null;
        int copied = 0;
        while (from >= 0) {
            int start = from + 3;
            int end = authorityEnd(s, start);
            int at = s.lastIndexOf('@', end - 1);
            if (at >= start) {
                int colon = s.indexOf(':', start);
                if (colon >= 0 && colon + 1 < at) {
                    if (out == null) {
                        out = new StringBuilder(s.length());
                    }
                    out.append(s, copied, colon + 1).append(MASK);
                    copied = at;
                }
            }
            from = s.indexOf("://", end);
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /**
     * Where the authority that begins at {@code start} ends: a path, query, fragment, blank or a
     * character no URL holds unencoded. Generous on purpose (a password may hold {@code , ; ( ) '}):
     * a too long authority at worst masks more than the password.
     */
    private static int authorityEnd(String s, int start) {
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\'
                    || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return i;
            }
        }
        return s.length();
    }
}
