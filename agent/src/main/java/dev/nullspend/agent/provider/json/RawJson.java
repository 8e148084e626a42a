package dev.nullspend.agent.provider.json;

import dev.nullspend.agent.provider.ByteSearch;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level looks at one raw JSON document, for deciding cheaply whether it is worth parsing.
 * Inside JSON strings a quote is always escaped ({@code \"}), so a quoted key found here is a
 * real field name or, rarely, the end of a string value: callers only use the answers to skip
 * work, and a false "yes" costs a parse, never a wrong result.
 */
public final class RawJson {

    private RawJson() {
    }

    /** {@code "name"} as UTF-8 bytes, for the scans below. */
    public static byte[] quoted(String name) {
        return ('"' + name + '"').getBytes(StandardCharsets.UTF_8);
    }

    /**
     * True when some occurrence of the field {@code quotedKey} has a value other than the JSON
     * literal {@code literal} ({@code null}, {@code false}): {@code "usage":null} on every OpenAI
     * chunk but the last, {@code "done":false} on every Ollama line but the last.
     */
    public static boolean hasFieldOtherThan(byte[] buf, int off, int len, byte[] quotedKey, String literal) {
        int end = off + len;
        int last = end - quotedKey.length;
        // Anchored on the opening quote and the first letter together: quotes are everywhere in
        // JSON, and a letter such as the u of "usage" is in every null and much of the text.
        int from = off;
        while (true) {
            int i = ByteSearch.indexOfPair(buf, from, last + 2, quotedKey[0], quotedKey[1]);
            if (i > last) {
                return false;
            }
            if (!startsWith(buf, i, quotedKey)) {
                from = i + 1;
                continue;
            }
            int j = skipSpaces(buf, i + quotedKey.length, end);
            if (j < end && buf[j] == ':') {
                j = skipSpaces(buf, j + 1, end);
                if (!isLiteral(buf, j, end, literal)) {
                    return true;
                }
            }
            from = i + quotedKey.length;
        }
    }

    /** True when {@code needle} occurs in the {@code len} bytes of {@code buf} from {@code off}. */
    public static boolean contains(byte[] buf, int off, int len, byte[] needle) {
        int last = off + len - needle.length;
        for (int i = off; i <= last; i++) {
            if (buf[i] == needle[0] && startsWith(buf, i, needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] buf, int at, byte[] prefix) {
        for (int k = 0; k < prefix.length; k++) {
            if (buf[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(byte[] buf, int i, int end) {
        while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static boolean isLiteral(byte[] buf, int i, int end, String literal) {
        if (end - i < literal.length()) {
            return false;
        }
        for (int k = 0; k < literal.length(); k++) {
            if (buf[i + k] != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
