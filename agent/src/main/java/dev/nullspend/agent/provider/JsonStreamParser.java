package dev.nullspend.agent.provider;

import dev.nullspend.agent.provider.framing.BodySplitter;
import dev.nullspend.agent.provider.framing.Documents;
import dev.nullspend.agent.provider.framing.StreamFraming;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.nio.ByteBuffer;

/**
 * Usage from a streamed response that is a sequence of JSON documents of one {@link UsageFormat},
 * cut from the body by a {@link StreamFraming} (docs/providers/README.md#sse-parsing): SSE
 * {@code data:} lines (OpenAI Chat and Responses, Gemini with
 * {@code alt=sse}), NDJSON lines (Ollama), or the elements of a JSON array written incrementally
 * (Gemini without {@code alt=sse}). The model is the first non-empty one seen; usage is the last
 * complete usage seen, from any document (also one with non-empty {@code choices}). Malformed
 * documents are skipped.
 *
 * <p>Line documents are parsed only while the model is unknown or when their bytes may hold usage
 * ({@link UsageFormat#mayCarryUsage}): an OpenAI stream parses two lines of JSON, whatever its
 * length. Array elements, and lines longer than the line bound (Gemini chunks and Responses
 * events with inline images run to megabytes), are parsed as they pass, never held.
 */
public final class JsonStreamParser implements UsageParser {
    private final UsageFormat format;
    private final JsonPicker picker;
    private final BodySplitter splitter;
    /** Lines skipped for exceeding the line bound, where the framing is line-based. */
    private final SseLineReader lines;
    private String model;
    private Usage usage;
    /** Whether {@link #usage}'s document carried an output count. */
    private boolean outputCounted = true;
    private long malformedDocuments;

    private JsonStreamParser(UsageFormat format, StreamFraming framing) {
        this.format = format;
        this.picker = new JsonPicker(format.paths());
        this.splitter = framing.open(new StreamDocuments());
        this.lines = splitter instanceof SseLineReader r ? r : null;
    }

    /** Documents of {@code format} cut from the body by {@code framing}. */
    public static JsonStreamParser of(UsageFormat format, StreamFraming framing) {
        return new JsonStreamParser(format, framing);
    }

    /** Server-sent events: one document per {@code data:} line. */
    public static JsonStreamParser sse(UsageFormat format) {
        return of(format, StreamFraming.SSE);
    }

    /** Newline-delimited JSON: one document per line. */
    public static JsonStreamParser ndjson(UsageFormat format) {
        return of(format, StreamFraming.NDJSON);
    }

    /** A JSON array written element by element (a single object is read as one element). */
    public static JsonStreamParser jsonArray(UsageFormat format) {
        return of(format, StreamFraming.JSON_ARRAY);
    }

    @Override
    public void feed(ByteBuffer bytes) {
        splitter.feed(bytes);
    }

    @Override
    public void end() {
        splitter.end();
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public String responseModel() {
        return model;
    }

    @Override
    public boolean outputCounted() {
        return outputCounted;
    }

    @Override
    public boolean omitsZeroOutput() {
        return format.omitsZeroOutput();
    }

    /** Documents that were not one complete JSON value and were skipped. */
    public long malformedDocuments() {
        return malformedDocuments;
    }

    /** Lines skipped for exceeding the line bound: SSE lines of other fields than {@code data} only. */
    public long oversizedLines() {
        return lines == null ? 0 : lines.skippedLines();
    }

    /**
     * Whole documents are parsed only while the model is unknown or when they may carry usage;
     * a document handed over in pieces (an array element, a line longer than the line bound, an
     * image inlined as base64, say) is parsed as it passes, without the pre-check.
     */
    private final class StreamDocuments implements Documents {
        @Override
        public void whole(String eventName, byte[] buf, int off, int len) {
            if (model != null && !format.mayCarryUsage(buf, off, len)) {
                return;
            }
            picker.reset();
            picker.feed(buf, off, len);
            documentEnded();
        }

        @Override
        public void begin(String eventName) {
            picker.reset();
        }

        @Override
        public void part(byte[] buf, int off, int len) {
            picker.feed(buf, off, len);
        }

        @Override
        public void end() {
            documentEnded();
        }
    }

    private void documentEnded() {
        picker.end();
        if (picker.failed()) {
            malformedDocuments++;
            return;
        }
        if (model == null) {
            // Azure's first chunk (prompt filter results only) carries "model":"": not a model.
            model = format.model(picker);
        }
        Usage u = format.read(picker);
        if (u != null) {
            usage = u;
            outputCounted = format.outputCounted(picker);
        }
    }
}
