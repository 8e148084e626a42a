package dev.nullspend.agent.provider.sse;

import dev.nullspend.agent.provider.ByteFeed;
import dev.nullspend.agent.provider.ByteSearch;
import dev.nullspend.agent.provider.framing.BodySplitter;
import dev.nullspend.agent.provider.framing.DocumentPieces;
import java.nio.charset.StandardCharsets;

/**
 * Splits a streamed response body into lines as it arrives, in whatever chunks it arrives, and
 * hands each payload to a {@link Listener}. Works on bytes only (a chunk may end inside a
 * multi-byte UTF-8 character; lines never do), accepts {@code \n}, {@code \r\n} and lone
 * {@code \r} line ends, and strips a UTF-8 byte order mark at the start of the stream.
 *
 * <p>{@link Format#SSE} (server-sent events, docs/providers/README.md#sse-parsing): every {@code data:} line (with
 * or without a space after the colon) is dispatched with the current {@code event:} name, which a
 * blank line resets; {@code data: [DONE]}, {@code :} comments, {@code id:}, {@code retry:} and
 * unknown fields are ignored. Each data line is dispatched on its own (LLM APIs put one JSON
 * document per line) rather than joined into one event as a browser would.
 * {@link Format#NDJSON}: every non-blank line is dispatched, with a null event name.
 *
 * <p>Memory is bounded: at most one partial line is kept, up to {@code maxLineBytes}. A longer
 * line is handed to the {@link DocumentPieces} in pieces as it passes, when there is one and the
 * line is a data line (SSE) or any line (NDJSON); otherwise it is dropped whole (counted in
 * {@link #skippedLines()}). Either way reading resumes after its end, so the result never
 * depends on how the body was chunked. Not thread-safe.
 */
public final class SseLineReader extends ByteFeed implements BodySplitter {

    /** Receives each payload; {@code buf} is only valid during the call and must not be modified. */
    @FunctionalInterface
    public interface Listener {
        void onData(String eventName, byte[] buf, int off, int len);
    }

    public enum Format { SSE, NDJSON }

    public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
    private static final int INITIAL_LINE_BUFFER = 4 * 1024;
    /** A line buffer grown past this is dropped after its line, so one long line does not pin memory. */
    private static final int RETAINED_LINE_BUFFER = 64 * 1024;
    /** How much of a long line's start is looked at for its field name: {@code data:} and a byte order mark fit. */
    private static final int FIELD_HEAD_BYTES = 16;
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    private final Format format;
    private final int maxLineBytes;
    private final Listener listener;
    private final DocumentPieces longLines;
    /** The start of a long line, gathered from the kept bytes and the current chunk to read its field name. */
    private final byte[] head = new byte[FIELD_HEAD_BYTES];

    private byte[] line = new byte[0];
    private int lineLength;
    /** The current line outgrew the bound: drop its bytes until its end. */
    private boolean skipping;
    /** The current line outgrew the bound and goes to {@link #longLines} until its end. */
    private boolean streamingLongLine;
    /** The last chunk ended with {@code \r}: a {@code \n} starting the next chunk belongs to it. */
    private boolean afterCr;
    private boolean firstLine = true;
    private boolean ended;
    private String eventName;
    private long skippedLines;

    public SseLineReader(Format format, int maxLineBytes, Listener listener) {
        this(format, maxLineBytes, listener, null);
    }

    /** @param longLines receives lines longer than {@code maxLineBytes}; null: they are skipped */
    public SseLineReader(Format format, int maxLineBytes, Listener listener, DocumentPieces longLines) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.format = format;
        this.maxLineBytes = maxLineBytes;
        this.listener = listener;
        this.longLines = longLines;
    }

    public static SseLineReader sse(Listener listener) {
        return new SseLineReader(Format.SSE, DEFAULT_MAX_LINE_BYTES, listener);
    }

    public static SseLineReader ndjson(Listener listener) {
        return new SseLineReader(Format.NDJSON, DEFAULT_MAX_LINE_BYTES, listener);
    }

    /** True when a {@code Content-Type} value (may be null) announces server-sent events. */
    public static boolean isEventStream(String contentType) {
        return containsIgnoreCase(contentType, "text/event-stream");
    }

    /** True when a {@code Content-Type} value (may be null) announces newline-delimited JSON. */
    public static boolean isNdjson(String contentType) {
        return containsIgnoreCase(contentType, "application/x-ndjson");
    }

    /** Feeds {@code len} bytes of {@code buf} from {@code off}; the array is only read during this call. */
    @Override
    protected boolean accepting() {
        return !ended;
    }

    @Override
    public void feed(byte[] buf, int off, int len) {
        if (ended || len <= 0) {
            return;
        }
        int end = off + len;
        int i = off;
        if (afterCr) {
            afterCr = false;
            if (buf[i] == '\n') {
                i++;
            }
        }
        int start = i;
        while (i < end) {
            i = ByteSearch.lineEnd(buf, i, end);
            if (i == end) {
                break;
            }
            byte b = buf[i];
            endLine(buf, start, i);
            i++;
            if (b == '\r') {
                if (i == end) {
                    afterCr = true;
                } else if (buf[i] == '\n') {
                    i++;
                }
            }
            start = i;
        }
        if (start < end) {
            keepPartial(buf, start, end);
        }
    }

    /** The body ended: a last line without a line end is still dispatched. Later feeds are ignored. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (streamingLongLine) {
            streamingLongLine = false;
            longLines.end();
        } else if (!skipping && lineLength > 0) {
            dispatch(line, 0, lineLength);
        }
        lineLength = 0;
    }

    /** Lines dropped because they were longer than the bound (and not handed to a {@link DocumentPieces}). */
    public long skippedLines() {
        return skippedLines;
    }

    private void endLine(byte[] buf, int start, int stop) {
        if (skipping) {
            skipping = false;
            return;
        }
        int len = stop - start;
        if (streamingLongLine) {
            streamingLongLine = false;
            longLines.part(buf, start, len);
            longLines.end();
            return;
        }
        if ((long) lineLength + len > maxLineBytes) {
            overflow(buf, start, stop, true);
        } else if (lineLength == 0) {
            dispatch(buf, start, len);
            return;
        } else {
            append(buf, start, len);
            dispatch(line, 0, lineLength);
        }
        lineLength = 0;
        if (line.length > RETAINED_LINE_BUFFER) {
            line = new byte[0];
        }
    }

    private void keepPartial(byte[] buf, int start, int stop) {
        if (skipping) {
            return;
        }
        if (streamingLongLine) {
            longLines.part(buf, start, stop - start);
            return;
        }
        if ((long) lineLength + (stop - start) > maxLineBytes) {
            overflow(buf, start, stop, false);
            lineLength = 0;
            if (line.length > RETAINED_LINE_BUFFER) {
                line = new byte[0];
            }
            return;
        }
        append(buf, start, stop - start);
    }

    /**
     * The line made of the kept {@code line} bytes and {@code buf[start, stop)} is longer than the
     * bound: hands its payload so far to {@link #longLines} (and the rest as it comes, unless
     * {@code lineEnded}), or, without a listener or for a line that is no data line, skips it.
     */
    private void overflow(byte[] buf, int start, int stop, boolean lineEnded) {
        int payload = longLines == null ? -1 : longLinePayloadStart(buf, start, stop);
        if (payload < 0) {
            skippedLines++;
            skipping = !lineEnded;
            return;
        }
        longLines.begin(format == Format.SSE ? eventName : null);
        if (payload < lineLength) {
            longLines.part(line, payload, lineLength - payload);
            longLines.part(buf, start, stop - start);
        } else {
            int from = start + payload - lineLength;
            longLines.part(buf, from, stop - from);
        }
        if (lineEnded) {
            longLines.end();
        } else {
            streamingLongLine = true;
        }
    }

    /**
     * Where the payload of the long line (kept {@code line} bytes, then {@code buf[start, stop)})
     * starts, counted from the line's start; -1 when it is an SSE line of another field than
     * {@code data}. Looks only at the line's first {@value #FIELD_HEAD_BYTES} bytes.
     */
    private int longLinePayloadStart(byte[] buf, int start, int stop) {
        int fromLine = Math.min(lineLength, head.length);
        System.arraycopy(line, 0, head, 0, fromLine);
        int fromBuf = Math.min(head.length - fromLine, stop - start);
        System.arraycopy(buf, start, head, fromLine, fromBuf);
        int headLength = fromLine + fromBuf;
        int off = 0;
        if (firstLine) {
            firstLine = false;
            off = hasByteOrderMark(head, 0, headLength) ? 3 : 0;
        }
        if (format == Format.NDJSON) {
            return off;
        }
        int colon = indexOf(head, off, headLength, (byte) ':');
        if (colon < 0 || !matches(head, off, colon - off, DATA)) {
            return -1;
        }
        int value = colon + 1;
        return value < headLength && head[value] == ' ' ? value + 1 : value;
    }

    private void append(byte[] buf, int start, int len) {
        int needed = lineLength + len;
        if (needed > line.length) {
            int grown = Math.max(INITIAL_LINE_BUFFER, line.length * 2);
            byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(needed, grown))];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(buf, start, line, lineLength, len);
        lineLength = needed;
    }

    private void dispatch(byte[] buf, int off, int len) {
        if (firstLine) {
            firstLine = false;
            if (hasByteOrderMark(buf, off, len)) {
                off += 3;
                len -= 3;
            }
        }
        if (format == Format.NDJSON) {
            if (!isBlank(buf, off, len)) {
                listener.onData(null, buf, off, len);
            }
            return;
        }
        if (len == 0) {
            eventName = null;
            return;
        }
        if (buf[off] == ':') {
            return;
        }
        int end = off + len;
        int colon = indexOf(buf, off, end, (byte) ':');
        if (colon < 0) {
            colon = end;
        }
        int valueStart = colon < end ? colon + 1 : end;
        if (valueStart < end && buf[valueStart] == ' ') {
            valueStart++;
        }
        int fieldLength = colon - off;
        if (matches(buf, off, fieldLength, DATA)) {
            int valueLength = end - valueStart;
            if (!matches(buf, valueStart, valueLength, DONE)) {
                listener.onData(eventName, buf, valueStart, valueLength);
            }
        } else if (matches(buf, off, fieldLength, EVENT)) {
            eventName = new String(buf, valueStart, end - valueStart, StandardCharsets.UTF_8);
        }
    }

    private static boolean hasByteOrderMark(byte[] buf, int off, int len) {
        return len >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB && buf[off + 2] == (byte) 0xBF;
    }

    /** The index of the first {@code b} in {@code buf[from, end)}, or -1. */
    private static int indexOf(byte[] buf, int from, int end, byte b) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] buf, int off, int len, byte[] expected) {
        if (len != expected.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(String haystack, String needle) {
        if (haystack == null) {
            return false;
        }
        for (int i = 0, last = haystack.length() - needle.length(); i <= last; i++) {
            if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }
}
