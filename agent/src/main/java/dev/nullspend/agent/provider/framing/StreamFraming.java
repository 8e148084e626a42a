package dev.nullspend.agent.provider.framing;

import dev.nullspend.agent.provider.json.JsonArraySplitter;
import dev.nullspend.agent.provider.sse.SseLineReader;

/**
 * How a provider writes a streamed response as a sequence of documents. A provider family picks
 * one per response; a new wire format (a length-prefixed binary framing, say) is one more
 * implementation, and the usage parsers above it do not change.
 */
@FunctionalInterface
public interface StreamFraming {

    /** Server-sent events: one document per {@code data:} line, with its {@code event:} name. */
    StreamFraming SSE = documents -> new SseLineReader(SseLineReader.Format.SSE, SseLineReader.DEFAULT_MAX_LINE_BYTES,
            documents::whole, documents);

    /** Newline-delimited JSON: one document per non-blank line. */
    StreamFraming NDJSON = documents -> new SseLineReader(SseLineReader.Format.NDJSON,
            SseLineReader.DEFAULT_MAX_LINE_BYTES, documents::whole, documents);

    /** A JSON array written element by element: every element handed over in pieces, never held. */
    StreamFraming JSON_ARRAY = JsonArraySplitter::new;

    /** A splitter for one body, handing its documents to {@code documents}. */
    BodySplitter open(Documents documents);
}
