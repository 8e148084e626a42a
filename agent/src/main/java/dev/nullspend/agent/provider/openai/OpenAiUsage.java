package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI usage object ({@code prompt_tokens}, {@code completion_tokens} and their details)
 * mapped to {@link Usage} (providers.md §2, §10), wherever a response puts it: {@code usage} for
 * OpenAI, and the same shape at other paths for OpenAI-compatible servers (Groq's
 * {@code x_groq.usage}). Immutable; one constant per API.
 *
 * <p>A usage object counts only when it was read to its closing brace and has
 * {@code prompt_tokens} (as the reference parser requires): a body cut inside it yields no usage
 * rather than a partial one. Negative counts are read as 0.
 */
public final class OpenAiUsage {

    /** Response field naming the model that served the call (the resolved snapshot). */
    public static final String MODEL = "model";

    private final boolean withCompletion;
    private final String object;
    private final String promptTokens;
    private final String cachedTokens;
    private final String completionTokens;
    private final String reasoningTokens;
    private final JsonPaths responsePaths;
    private final byte[] quotedKey;

    private OpenAiUsage(String object, boolean withCompletion) {
        this.withCompletion = withCompletion;
        this.object = object;
        this.promptTokens = object + ".prompt_tokens";
        this.cachedTokens = object + ".prompt_tokens_details.cached_tokens";
        this.completionTokens = object + ".completion_tokens";
        this.reasoningTokens = object + ".completion_tokens_details.reasoning_tokens";
        List<String> paths = new ArrayList<>(List.of(MODEL, object, promptTokens, cachedTokens));
        if (withCompletion) {
            paths.add(completionTokens);
            paths.add(reasoningTokens);
        }
        this.responsePaths = JsonPaths.of(paths);
        String key = object.substring(object.lastIndexOf('.') + 1);
        this.quotedKey = ('"' + key + '"').getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Chat-style usage at {@code objectPath}: uncached input = {@code prompt_tokens −
     * prompt_tokens_details.cached_tokens} (≥ 0), cache read = cached tokens, output =
     * {@code completion_tokens}, reasoning = {@code completion_tokens_details.reasoning_tokens}
     * (inside output).
     */
    public static OpenAiUsage chat(String objectPath) {
        return new OpenAiUsage(objectPath, true);
    }

    /** Input-only usage at {@code objectPath} (embeddings): uncached input = {@code prompt_tokens}, output 0. */
    public static OpenAiUsage inputOnly(String objectPath) {
        return new OpenAiUsage(objectPath, false);
    }

    /** What a response parser picks: {@link #MODEL} and this usage object's fields. */
    public JsonPaths responsePaths() {
        return responsePaths;
    }

    /** The usage object {@code picker} read, or null when there was none (or it was incomplete). */
    public Usage read(JsonPicker picker) {
        if (!picker.complete(object)) {
            return null;
        }
        Long prompt = picker.longValue(promptTokens);
        if (prompt == null) {
            return null;
        }
        long input = Math.max(0, prompt);
        if (!withCompletion) {
            return Usage.of(input, 0);
        }
        long cached = count(picker, cachedTokens);
        return new Usage(Math.max(0, input - cached), cached, 0, 0,
                count(picker, completionTokens), count(picker, reasoningTokens), null);
    }

    /**
     * Cheap pre-check on a raw SSE data line: false when the line cannot carry a non-null usage
     * object, i.e. every occurrence of the usage key is followed by {@code null} (OpenAI puts
     * {@code "usage":null} on every chunk but the last). A false positive only costs a parse.
     */
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        byte[] key = quotedKey;
        int last = off + len - key.length;
        for (int i = off; i <= last; i++) {
            if (buf[i] != '"' || !startsWith(buf, i, key)) {
                continue;
            }
            int j = skipSpaces(buf, i + key.length, off + len);
            if (j < off + len && buf[j] == ':') {
                j = skipSpaces(buf, j + 1, off + len);
                if (!isNull(buf, j, off + len)) {
                    return true;
                }
            }
            i += key.length - 1;
        }
        return false;
    }

    private static long count(JsonPicker picker, String path) {
        Long v = picker.longValue(path);
        return v == null ? 0 : Math.max(0, v);
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

    private static boolean isNull(byte[] buf, int i, int end) {
        return end - i >= 4 && buf[i] == 'n' && buf[i + 1] == 'u' && buf[i + 2] == 'l' && buf[i + 3] == 'l';
    }
}
