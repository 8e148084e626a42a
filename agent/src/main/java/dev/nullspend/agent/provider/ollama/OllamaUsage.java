package dev.nullspend.agent.provider.ollama;

import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.json.RawJson;

/**
 * Ollama's native counts (docs/providers/compatible.md): the final object ({@code "done": true}) carries
 * {@code prompt_eval_count} (input) and {@code eval_count} (output); a missing count is 0 (Ollama
 * leaves {@code prompt_eval_count} out when the whole prompt came from its cache). Objects that are
 * not done carry no usage.
 */
public final class OllamaUsage implements UsageFormat {

    public static final OllamaUsage FORMAT = new OllamaUsage();

    private static final String MODEL = "model";
    private static final String DONE = "done";
    private static final String PROMPT_EVAL_COUNT = "prompt_eval_count";
    private static final String EVAL_COUNT = "eval_count";
    private static final JsonPaths PATHS = JsonPaths.of(MODEL, DONE, PROMPT_EVAL_COUNT, EVAL_COUNT);
    private static final byte[] QUOTED_DONE = RawJson.quoted(DONE);

    private OllamaUsage() {
    }

    @Override
    public JsonPaths paths() {
        return PATHS;
    }

    @Override
    public Usage read(JsonPicker picker) {
        if (!Boolean.TRUE.equals(picker.bool(DONE))) {
            return null;
        }
        return Usage.of(count(picker, PROMPT_EVAL_COUNT), count(picker, EVAL_COUNT));
    }

    @Override
    public String model(JsonPicker picker) {
        return Requests.nonEmptyText(picker, MODEL);
    }

    /** Every line but the last says {@code "done": false}. */
    @Override
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        return RawJson.hasFieldOtherThan(buf, off, len, QUOTED_DONE, "false");
    }

    private static long count(JsonPicker picker, String path) {
        Long v = picker.longValue(path);
        return v == null ? 0 : Math.max(0, v);
    }
}
