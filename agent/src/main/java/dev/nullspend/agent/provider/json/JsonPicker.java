package dev.nullspend.agent.provider.json;

import dev.nullspend.agent.provider.ByteFeed;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Reads a few wanted values out of one JSON document fed in arbitrary chunks, without ever
 * holding the document: Jackson's non-blocking parser tokenises each chunk as it arrives, and a
 * trie of the wanted paths ({@link JsonPaths}) decides per field whether to descend, record or skip.
 *
 * <ul>
 *   <li>For each wanted path it records the scalar (string, integral number, decimal number as
 *       its text, boolean, null) or, for a container, only its {@link Kind}.</li>
 *   <li>Unwanted subtrees are skipped by depth counting, never materialised (Jackson's
 *       {@code skipChildren} does nothing in non-blocking mode). An array is descended only when a
 *       wanted path names one of its elements by index ({@code usage.cacheDetails.0.ttl}).</li>
 *   <li>Malformed input stops the parse quietly: {@link #failed()} turns true and everything
 *       picked so far stays readable. Anything but whitespace after the first top-level value
 *       is malformed too (an SSE line {@code {…} junk} is not JSON).</li>
 *   <li>Memory is bounded: input is never copied beyond one 8 KiB chunk
 *       (and only for buffers without an accessible array), nesting deeper than
 *       {@value #MAX_NESTING_DEPTH}, any single string longer than {@value #MAX_STRING_CHARS}
 *       chars and any field name longer than Jackson's default 50,000 chars stop the parse.
 *       Jackson buffers each string whole, wanted or not, so this bound is what keeps one huge
 *       string from exhausting memory; values after such a string are lost.</li>
 * </ul>
 *
 * <p>Reusable: {@link #reset()} forgets everything and starts a new document with the same paths
 * (one picker per SSE stream, reset per line). Not thread-safe.
 *
 * <p>Jackson's parser is kept across documents: creating one (its context, buffers and field-name
 * table) was about a third of the bytes the agent allocates per LLM call. A document that ended
 * whole and small hands its parser to the thread's one idle slot ({@link ParserSlot}); the next
 * document on that thread takes it from there and is read as the parser's next root value.
 */
public final class JsonPicker extends ByteFeed {

    /** What a picked value is. */
    public enum Kind { STRING, INTEGER, DECIMAL, BOOLEAN, NULL, OBJECT, ARRAY }

    public static final int MAX_NESTING_DEPTH = 200;
    /** 4 Mi chars: a few MB of heap at most; a longer string (an inline base64 image) stops the parse. */
    public static final int MAX_STRING_CHARS = 4 * 1024 * 1024;
    /** Numeric strings longer than this are not numbers we care about (and would be costly to parse). */
    private static final int MAX_NUMERIC_STRING = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS)
                    .build())
            // Field names come from remote servers: canonicalise (fast) but never String.intern them.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final JsonPaths paths;
    private final Kind[] kinds;
    private final String[] texts;
    private final long[] longs;
    private final boolean[] complete;
    /** Trie nodes of the objects and arrays being descended, outermost first; never deeper than the longest path. */
    private final JsonPaths.Node[] stack;
    /** Per {@link #stack} level: the index of the array's next element, or -1 for an object. */
    private final int[] elements;

    private ParserSlot.Held held;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Bytes of the current document fed so far: only a small document's parser is kept for the next. */
    private long documentBytes;
    private int level;
    /** Trie node of the field whose value comes next, or null when that value is unwanted. */
    private JsonPaths.Node next;
    /** Depth inside a skipped container; 0 when not skipping. */
    private int skipDepth;
    private JsonPaths.Node skipped;
    private boolean done;
    private boolean failed;
    private boolean ended;

    public JsonPicker(JsonPaths paths) {
        this.paths = paths;
        int n = paths.size();
        this.kinds = new Kind[n];
        this.texts = new String[n];
        this.longs = new long[n];
        this.complete = new boolean[n];
        // Compiled with the paths: a picker is made per request and per response.
        int depth = paths.depth() + 1;
        this.stack = new JsonPaths.Node[depth];
        this.elements = new int[depth];
    }

    public JsonPicker(String... paths) {
        this(JsonPaths.of(paths));
    }

    /** Forgets all picked values and state; the next {@link #feed} starts a new document. */
    public void reset() {
        closeParser();
        documentBytes = 0;
        Arrays.fill(kinds, null);
        Arrays.fill(texts, null);
        Arrays.fill(complete, false);
        level = 0;
        next = null;
        skipDepth = 0;
        skipped = null;
        done = false;
        failed = false;
        ended = false;
    }

    /** Feeds {@code len} bytes of {@code buf} from {@code off}; the array is only read during this call. */
    @Override
    public void feed(byte[] buf, int off, int len) {
        if (!accepting() || len <= 0) {
            return;
        }
        try {
            if (parser == null) {
                held = ParserSlot.take(FACTORY);
                parser = held.parser;
                feeder = held.feeder;
            }
            documentBytes += len;
            feeder.feedInput(buf, off, off + len);
            drain();
        } catch (IOException | RuntimeException e) {
            fail();
        }
    }

    /** The document ended: finishes a pending top-level scalar, and marks a truncated document {@link #failed()}. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (!failed && parser != null) {
            try {
                // Whitespace, not the end of input: it ends a pending top-level number or literal as
                // the end would, leaves nothing undecoded and lets go of the program's last chunk, and
                // the parser can read another root value: the next document's.
                feeder.feedInput(ParserSlot.SEPARATOR, 0, ParserSlot.SEPARATOR.length);
                drain();
            } catch (IOException | RuntimeException e) {
                fail();
            }
        }
        if (!done) {
            failed = true;
        }
        if (!failed && parser != null && documentBytes <= ParserSlot.MAX_DOCUMENT_BYTES) {
            ParserSlot.give(held);
            parser = null;
            feeder = null;
            held = null;
        }
        closeParser();
    }

    /**
     * True when parsing stopped on malformed input or a bound, or when {@link #end()} came before
     * one complete JSON value (truncated or empty input). Values picked before that stay readable.
     */
    public boolean failed() {
        return failed;
    }

    /** True when one complete top-level JSON value has been read. */
    public boolean done() {
        return done;
    }

    /** True when a value was picked at {@code path} (including JSON null). */
    public boolean has(String path) {
        return kinds[index(path)] != null;
    }

    /** The kind of the value at {@code path}, or null when none was seen. */
    public Kind kind(String path) {
        return kinds[index(path)];
    }

    /** True when the value at {@code path} was read to its end (a container's closing bracket seen). */
    public boolean complete(String path) {
        return complete[index(path)];
    }

    public boolean isNull(String path) {
        return kinds[index(path)] == Kind.NULL;
    }

    /** The string value at {@code path}; null for any other kind. */
    public String text(String path) {
        int i = index(path);
        return kinds[i] == Kind.STRING ? texts[i] : null;
    }

    public Boolean bool(String path) {
        int i = index(path);
        return kinds[i] == Kind.BOOLEAN ? longs[i] != 0 : null;
    }

    /**
     * The value at {@code path} as a long when it is integral: an integral number ({@code 12},
     * also {@code 12.0}) or a numeric string ({@code "12"}). Null when absent, of another kind,
     * fractional or out of range.
     */
    public Long longValue(String path) {
        int i = index(path);
        Kind k = kinds[i];
        if (k == Kind.INTEGER && texts[i] == null) {
            return longs[i];
        }
        if (k == Kind.INTEGER || k == Kind.DECIMAL || k == Kind.STRING) {
            return integral(texts[i]);
        }
        return null;
    }

    /** The value at {@code path} as a number: any JSON number or numeric string; null otherwise. */
    public BigDecimal decimal(String path) {
        int i = index(path);
        Kind k = kinds[i];
        if (k == Kind.INTEGER && texts[i] == null) {
            return BigDecimal.valueOf(longs[i]);
        }
        if (k == Kind.INTEGER || k == Kind.DECIMAL || k == Kind.STRING) {
            return parseDecimal(texts[i]);
        }
        return null;
    }

    @Override
    protected boolean accepting() {
        return !failed && !ended;
    }

    private int index(String path) {
        int i = paths.indexOf(path);
        if (i < 0) {
            throw new IllegalArgumentException("not a picked path: " + path);
        }
        return i;
    }

    private void drain() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            if (done) {
                // A second top-level value: the input is not one JSON document.
                fail();
                return;
            }
            onToken(t);
        }
    }

    private void onToken(JsonToken t) throws IOException {
        if (skipDepth > 0) {
            // Hot path for big unwanted subtrees (embedding vectors): count brackets, nothing else.
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                skipDepth++;
            } else if ((t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) && --skipDepth == 0) {
                if (skipped != null && skipped.index >= 0) {
                    complete[skipped.index] = true;
                }
                skipped = null;
                done = level == 0;
            }
            return;
        }
        switch (t) {
            case FIELD_NAME:
                next = stack[level - 1].child(parser.currentName());
                return;
            case END_OBJECT:
            case END_ARRAY:
                JsonPaths.Node closed = stack[--level];
                if (closed.index >= 0) {
                    complete[closed.index] = true;
                }
                done = level == 0;
                return;
            default:
                onValue(t, level == 0 ? paths.root() : elements[level - 1] >= 0 ? nextElement() : next);
        }
    }

    private void onValue(JsonToken t, JsonPaths.Node node) throws IOException {
        if (node == null) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                skipDepth = 1;
            }
            return;
        }
        for (int d : node.descendants) {
            kinds[d] = null;
            texts[d] = null;
            complete[d] = false;
        }
        int i = node.index;
        switch (t) {
            case START_OBJECT:
                record(i, Kind.OBJECT, null, 0, false);
                descendOrSkip(node, -1);
                return;
            case START_ARRAY:
                record(i, Kind.ARRAY, null, 0, false);
                descendOrSkip(node, 0);
                return;
            case VALUE_STRING:
                record(i, Kind.STRING, i >= 0 ? parser.getText() : null, 0, true);
                break;
            case VALUE_NUMBER_INT:
                if (i >= 0 && parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    record(i, Kind.INTEGER, parser.getText(), 0, true);
                } else {
                    record(i, Kind.INTEGER, null, i >= 0 ? parser.getLongValue() : 0, true);
                }
                break;
            case VALUE_NUMBER_FLOAT:
                record(i, Kind.DECIMAL, i >= 0 ? parser.getText() : null, 0, true);
                break;
            case VALUE_TRUE:
                record(i, Kind.BOOLEAN, null, 1, true);
                break;
            case VALUE_FALSE:
                record(i, Kind.BOOLEAN, null, 0, true);
                break;
            case VALUE_NULL:
                record(i, Kind.NULL, null, 0, true);
                break;
            default:
                return;
        }
        done = level == 0;
    }

    /** Descends into a container whose node has wanted paths below it ({@code element} 0 for an array, -1 for an object), else skips it. */
    private void descendOrSkip(JsonPaths.Node node, int element) {
        if (node.hasChildren()) {
            elements[level] = element;
            stack[level++] = node;
        } else {
            skip(node);
        }
    }

    /** The trie node of the current array's next element: its index is its name. */
    private JsonPaths.Node nextElement() {
        return stack[level - 1].child(Integer.toString(elements[level - 1]++));
    }

    private void skip(JsonPaths.Node node) {
        skipDepth = 1;
        skipped = node;
    }

    private void record(int i, Kind kind, String text, long value, boolean whole) {
        if (i < 0) {
            return;
        }
        kinds[i] = kind;
        texts[i] = text;
        longs[i] = value;
        complete[i] = whole;
    }

    private void fail() {
        failed = true;
        closeParser();
    }

    private void closeParser() {
        if (parser != null) {
            ParserSlot.close(parser);
            parser = null;
            feeder = null;
            held = null;
        }
    }

    private static Long integral(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NUMERIC_STRING) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException notPlain) {
            BigDecimal d = parseDecimal(text);
            if (d == null) {
                return null;
            }
            try {
                return d.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return null;
            }
        }
    }

    private static BigDecimal parseDecimal(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NUMERIC_STRING) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
