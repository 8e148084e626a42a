package dev.nullspend.agent.provider;

import dev.nullspend.agent.provider.json.JsonArraySplitter;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.nio.ByteBuffer;

/**
 * Usage from a streamed response that is a sequence of JSON documents of one {@link UsageFormat}
 * (docs/providers/README.md#sse-parsing): SSE {@code data:} lines (OpenAI Chat and Responses, Gemini with
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
    /** Exactly one of the two readers is set. */
    private final SseLineReader lines;
    private final JsonArraySplitter elements;
    private String model;
    private Usage usage;
    /** Whether {@link #usage}'s document carried an output count. */
    private boolean outputCounted = true;
    private long malformedDocuments;

    private JsonStreamParser(UsageFormat format, SseLineReader.Format lineFormat) {
        this.format = format;
        this.picker = new JsonPicker(format.paths());
        DocumentInPieces pieces = new DocumentInPieces();
        if (lineFormat == null) {
            this.lines = null;
            this.elements = new JsonArraySplitter(pieces);
        } else {
            this.lines = new SseLineReader(lineFormat, SseLineReader.DEFAULT_MAX_LINE_BYTES, this::onLine, pieces);
            this.elements = null;
        }
    }

    /** Server-sent events: one document per {@code data:} line. */
    public static JsonStreamParser sse(UsageFormat format) {
        return new JsonStreamParser(format, SseLineReader.Format.SSE);
    }

    /** Newline-delimited JSON: one document per line. */
    public static JsonStreamParser ndjson(UsageFormat format) {
        return new JsonStreamParser(format, SseLineReader.Format.NDJSON);
    }

    /** A JSON array written element by element (a single object is read as one element). */
    public static JsonStreamParser jsonArray(UsageFormat format) {
        return new JsonStreamParser(format, null);
    }

    @Override
    public void feed(ByteBuffer bytes) {
        if (lines != null) {
            lines.feed(bytes);
        } else {
            elements.feed(bytes);
        }
    }

    @Override
    public void end() {
        if (lines != null) {
            lines.end();
        } else {
            elements.end();
        }
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

    private void onLine(String eventName, byte[] buf, int off, int len) {
        if (model != null && !format.mayCarryUsage(buf, off, len)) {
            return;
        }
        picker.reset();
        picker.feed(buf, off, len);
        documentEnded();
    }

    /**
     * A document handed over in pieces as it passes, never held: an array element, or a line
     * longer than the line bound (an image inlined as base64, say), parsed without the pre-check.
     */
    private final class DocumentInPieces implements JsonArraySplitter.ElementListener, SseLineReader.LongLineListener {
        @Override
        public void begin() {
            picker.reset();
        }

        @Override
        public void begin(String eventName) {
            begin();
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
