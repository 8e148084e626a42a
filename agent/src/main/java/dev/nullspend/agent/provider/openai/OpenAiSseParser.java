package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.nio.ByteBuffer;

/**
 * Usage from an OpenAI-style SSE stream (providers.md §0.3, §2): the model is the first non-empty
 * {@code model} seen; usage is the last non-null, complete usage object, from any chunk (also one
 * with non-empty {@code choices}). Malformed lines are skipped.
 *
 * <p>Only the final chunk carries usage, so once the model is known a line is parsed only when its
 * bytes may hold a non-null usage object ({@link OpenAiUsage#mayCarryUsage}): a typical stream
 * parses two lines of JSON, whatever its length.
 */
public final class OpenAiSseParser implements UsageParser {
    private final OpenAiUsage fields;
    private final JsonPicker picker;
    private final SseLineReader reader;
    private String model;
    private Usage usage;
    private long malformedLines;

    public OpenAiSseParser(OpenAiUsage fields) {
        this.fields = fields;
        this.picker = new JsonPicker(fields.responsePaths());
        this.reader = SseLineReader.sse(this::onData);
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
        return usage;
    }

    @Override
    public String responseModel() {
        return model;
    }

    /** Data lines that were not one complete JSON value and were skipped. */
    public long malformedLines() {
        return malformedLines;
    }

    /** Lines skipped for exceeding the line bound. */
    public long oversizedLines() {
        return reader.skippedLines();
    }

    private void onData(String eventName, byte[] buf, int off, int len) {
        if (model != null && !fields.mayCarryUsage(buf, off, len)) {
            return;
        }
        picker.reset();
        picker.feed(buf, off, len);
        picker.end();
        if (picker.failed()) {
            malformedLines++;
            return;
        }
        if (model == null) {
            String m = picker.text(OpenAiUsage.MODEL);
            // Azure's first chunk (prompt filter results only) carries "model":"": not a model.
            model = m == null || m.isEmpty() ? null : m;
        }
        Usage u = fields.read(picker);
        if (u != null) {
            usage = u;
        }
    }
}
