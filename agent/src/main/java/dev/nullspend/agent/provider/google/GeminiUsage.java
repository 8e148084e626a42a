package dev.nullspend.agent.provider.google;

import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.json.RawJson;

/**
 * Gemini's {@code usageMetadata} (Developer API and Vertex AI) mapped to {@link Usage}
 * (docs/providers/google.md, docs/providers/README.md#normalisation), for a plain body, an SSE chunk or a streamed array element alike:
 *
 * <ul>
 *   <li>{@code promptTokenCount} includes {@code cachedContentTokenCount}: uncached input =
 *       prompt − cached (≥ 0), cache read = cached.</li>
 *   <li>{@code toolUsePromptTokenCount} (tool results fed back, e.g. URL context) is outside the
 *       prompt count and is added to the uncached input: billed as input (docs/providers/README.md#open-points lists
 *       this as to verify; counting it never undercounts).</li>
 *   <li>{@code thoughtsTokenCount} is outside {@code candidatesTokenCount} and billed at the
 *       output rate: output = candidates + thoughts, reasoning = thoughts.</li>
 * </ul>
 *
 * <p>Zero counts are left out of the JSON (protobuf), so a missing count is 0; a usage needs a
 * complete object with a prompt or candidates count. The model is {@code modelVersion}.
 */
public final class GeminiUsage implements UsageFormat {

    public static final GeminiUsage FORMAT = new GeminiUsage();

    private static final String MODEL_VERSION = "modelVersion";
    private static final String OBJECT = "usageMetadata";
    private static final String PROMPT = OBJECT + ".promptTokenCount";
    private static final String CACHED = OBJECT + ".cachedContentTokenCount";
    private static final String CANDIDATES = OBJECT + ".candidatesTokenCount";
    private static final String THOUGHTS = OBJECT + ".thoughtsTokenCount";
    private static final String TOOL_USE_PROMPT = OBJECT + ".toolUsePromptTokenCount";
    private static final JsonPaths PATHS = JsonPaths.of(MODEL_VERSION, OBJECT, PROMPT, CACHED, CANDIDATES, THOUGHTS,
            TOOL_USE_PROMPT);
    private static final byte[] QUOTED_OBJECT = RawJson.quoted(OBJECT);

    private GeminiUsage() {
    }

    @Override
    public JsonPaths paths() {
        return PATHS;
    }

    @Override
    public Usage read(JsonPicker picker) {
        if (!picker.complete(OBJECT) || picker.kind(OBJECT) != JsonPicker.Kind.OBJECT
                || (picker.longValue(PROMPT) == null && picker.longValue(CANDIDATES) == null)) {
            return null;
        }
        long prompt = count(picker, PROMPT);
        long cached = count(picker, CACHED);
        long thoughts = count(picker, THOUGHTS);
        return new Usage(Math.max(0, prompt - cached) + count(picker, TOOL_USE_PROMPT), cached, 0, 0,
                count(picker, CANDIDATES) + thoughts, thoughts, null);
    }

    @Override
    public String model(JsonPicker picker) {
        return Requests.nonEmptyText(picker, MODEL_VERSION);
    }

    /** Chunks before the last carry the prompt count only; the last adds candidates (and thoughts). */
    @Override
    public boolean outputCounted(JsonPicker picker) {
        return picker.longValue(CANDIDATES) != null || picker.longValue(THOUGHTS) != null;
    }

    /** A reply of no tokens (a blocked prompt) has no {@code candidatesTokenCount} at all. */
    @Override
    public boolean omitsZeroOutput() {
        return true;
    }

    @Override
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        return RawJson.hasFieldOtherThan(buf, off, len, QUOTED_OBJECT, "null");
    }

    private static long count(JsonPicker picker, String path) {
        Long v = picker.longValue(path);
        return v == null ? 0 : Math.max(0, v);
    }
}
