package dev.nullspend.agent.provider.anthropic;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.framing.BodySplitter;
import dev.nullspend.agent.provider.framing.Documents;
import dev.nullspend.agent.provider.framing.StreamFraming;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.json.RawJson;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage from an Anthropic Messages stream (docs/providers/anthropic.md): the model and the initial usage
 * (input, cache reads and writes with their split, a placeholder output count) from
 * {@code message_start.message}; then each {@code message_delta.usage} is cumulative: every
 * numeric field it carries replaces ours, nothing is ever added (several deltas come with server
 * tools). Deltas before a {@code message_start} usage are ignored.
 *
 * <p>A stream cut after {@code message_start} and before any {@code message_delta} with an output
 * count still has a usage: the exact input and cache tokens, and {@code message_start}'s output
 * count, a placeholder (usually 1) that {@link #outputCounted()} flags, so the caller bills the
 * estimated output instead. Without a {@code message_start} usage there is none, and the caller
 * bills its estimate.
 *
 * <p>Only {@code message_start} and {@code message_delta} events are parsed; the type comes from
 * the {@code event:} line, else from the JSON {@code type} (lines without an event name are
 * parsed only when their bytes name one of the two types). Malformed lines are skipped.
 */
public final class AnthropicSseParser implements UsageParser {

    private static final String MESSAGE_START = "message_start";
    private static final String MESSAGE_DELTA = "message_delta";
    private static final byte[] QUOTED_START = RawJson.quoted(MESSAGE_START);
    private static final byte[] QUOTED_DELTA = RawJson.quoted(MESSAGE_DELTA);
    private static final String TYPE = "type";
    private static final JsonPaths PATHS = paths();

    private final JsonPicker picker = new JsonPicker(PATHS);
    private final BodySplitter reader;
    private AnthropicUsage.Counts counts;
    /** A {@code message_delta} replaced the placeholder output count of {@code message_start}. */
    private boolean outputCounted;
    private String model;
    private long malformedLines;

    /** Messages events as server-sent events, Anthropic's own framing. */
    public AnthropicSseParser() {
        this.reader = SseLineReader.sse(this::onData);
    }

    private AnthropicSseParser(StreamFraming framing) {
        this.reader = framing.open(new Documents() {
            @Override
            public void whole(String eventName, byte[] buf, int off, int len) {
                onData(eventName, buf, off, len);
            }

            // A document too long to hold is no message_start or message_delta: ignored, as over-long SSE lines are.
            @Override
            public void begin(String eventName) {
            }

            @Override
            public void part(byte[] buf, int off, int len) {
            }

            @Override
            public void end() {
            }
        });
    }

    /**
     * The same events in another framing: Bedrock's InvokeModelWithResponseStream hands each one
     * over decoded from its chunk, without an event name (the type then comes from the JSON).
     */
    public static AnthropicSseParser over(StreamFraming framing) {
        return new AnthropicSseParser(framing);
    }

    @Override
    public void feed(ByteBuffer bytes) {
        reader.feed(bytes);
    }

    @Override
    public void end() {
        reader.end();
    }

    @Override
    public Usage usage() {
        return counts == null ? null : counts.toUsage();
    }

    @Override
    public String responseModel() {
        return model;
    }

    @Override
    public boolean outputCounted() {
        return outputCounted;
    }

    /** Event lines that were not one complete JSON value and were skipped. */
    public long malformedLines() {
        return malformedLines;
    }

    private void onData(String eventName, byte[] buf, int off, int len) {
        boolean wanted = eventName != null
                ? eventName.equals(MESSAGE_START) || eventName.equals(MESSAGE_DELTA)
                : RawJson.contains(buf, off, len, QUOTED_START) || RawJson.contains(buf, off, len, QUOTED_DELTA);
        if (!wanted) {
            return;
        }
        picker.reset();
        picker.feed(buf, off, len);
        picker.end();
        if (picker.failed()) {
            malformedLines++;
            return;
        }
        String type = picker.text(TYPE);
        if (type == null) {
            type = eventName;
        }
        if (MESSAGE_START.equals(type)) {
            if (model == null) {
                model = AnthropicUsage.MESSAGE_START.model(picker);
            }
            AnthropicUsage.Counts start = AnthropicUsage.MESSAGE_START.counts(picker);
            if (start != null && start.input() != null) {
                counts = start;
            }
        } else if (MESSAGE_DELTA.equals(type) && counts != null) {
            AnthropicUsage.Counts delta = AnthropicUsage.BODY.counts(picker);
            if (delta != null) {
                counts = counts.overwrittenBy(delta);
                outputCounted |= delta.output() != null;
            }
        }
    }

    private static JsonPaths paths() {
        List<String> all = new ArrayList<>(List.of(TYPE));
        all.addAll(AnthropicUsage.MESSAGE_START.paths().paths());
        all.addAll(AnthropicUsage.BODY.paths().paths());
        return JsonPaths.of(all);
    }
}
