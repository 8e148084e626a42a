package dev.nullspend.agent.provider.anthropic;

import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;

/**
 * The Anthropic usage object mapped to {@link Usage} (docs/providers/anthropic.md, docs/providers/README.md#normalisation): {@code input_tokens}
 * is uncached input only; {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}
 * come on top; cache writes are split by lifetime with {@code cache_creation.ephemeral_5m_input_tokens}
 * / {@code ephemeral_1h_input_tokens}, and without that split all are 5-minute writes;
 * {@code output_tokens} includes thinking ({@code output_tokens_details.thinking_tokens}, the
 * reasoning). A usage counts when its object is complete and has {@code input_tokens}, as the
 * reference parser requires. Immutable.
 */
public final class AnthropicUsage implements UsageFormat {

    /** A plain response body; also the {@code usage} of a {@code message_delta} event. */
    public static final AnthropicUsage BODY = new AnthropicUsage("model", "usage");
    /** A {@code message_start} event: the message's model and initial usage. */
    public static final AnthropicUsage MESSAGE_START = new AnthropicUsage("message.model", "message.usage");

    private final String modelPath;
    private final String object;
    private final String input;
    private final String cacheRead;
    private final String cacheCreation;
    private final String write5m;
    private final String write1h;
    private final String output;
    private final String thinking;
    private final JsonPaths paths;

    private AnthropicUsage(String modelPath, String object) {
        this.modelPath = modelPath;
        this.object = object;
        this.input = object + ".input_tokens";
        this.cacheRead = object + ".cache_read_input_tokens";
        this.cacheCreation = object + ".cache_creation_input_tokens";
        this.write5m = object + ".cache_creation.ephemeral_5m_input_tokens";
        this.write1h = object + ".cache_creation.ephemeral_1h_input_tokens";
        this.output = object + ".output_tokens";
        this.thinking = object + ".output_tokens_details.thinking_tokens";
        this.paths = JsonPaths.of(modelPath, object, input, cacheRead, cacheCreation, write5m, write1h, output, thinking);
    }

    /**
     * The counts of one usage object as sent: each numeric field, or null when absent or not a
     * number (so a {@code message_delta} can overwrite exactly the fields it carries). Null when
     * the object is absent or incomplete.
     */
    Counts counts(JsonPicker picker) {
        if (!picker.complete(object) || picker.kind(object) != JsonPicker.Kind.OBJECT) {
            return null;
        }
        return new Counts(picker.longValue(input), picker.longValue(cacheRead), picker.longValue(cacheCreation),
                picker.longValue(write5m), picker.longValue(write1h), picker.longValue(output),
                picker.longValue(thinking));
    }

    @Override
    public JsonPaths paths() {
        return paths;
    }

    @Override
    public Usage read(JsonPicker picker) {
        Counts counts = counts(picker);
        return counts == null || counts.input() == null ? null : counts.toUsage();
    }

    @Override
    public String model(JsonPicker picker) {
        return Requests.nonEmptyText(picker, modelPath);
    }

    /** One usage object's numeric fields, null where absent. Immutable. */
    record Counts(Long input, Long cacheRead, Long cacheCreation, Long write5m, Long write1h, Long output,
                  Long thinking) {

        /** These counts with every field {@code later} carries replacing ours: the values are cumulative, never added. */
        Counts overwrittenBy(Counts later) {
            return new Counts(pick(later.input, input), pick(later.cacheRead, cacheRead),
                    pick(later.cacheCreation, cacheCreation), pick(later.write5m, write5m),
                    pick(later.write1h, write1h), pick(later.output, output), pick(later.thinking, thinking));
        }

        /**
         * As {@link Usage}. Cache writes total {@code cache_creation_input_tokens} (else the split's
         * sum); the 1-hour part is the split's, at most the total, and the rest is 5-minute: a
         * total the split does not explain is never dropped.
         */
        Usage toUsage() {
            long writes = cacheCreation != null ? atLeastZero(cacheCreation) : atLeastZero(write5m) + atLeastZero(write1h);
            long oneHour = Math.min(atLeastZero(write1h), writes);
            return new Usage(atLeastZero(input), atLeastZero(cacheRead), writes - oneHour, oneHour,
                    atLeastZero(output), atLeastZero(thinking), null);
        }

        private static Long pick(Long later, Long earlier) {
            return later != null ? later : earlier;
        }

        private static long atLeastZero(Long v) {
            return v == null ? 0 : Math.max(0, v);
        }
    }
}
