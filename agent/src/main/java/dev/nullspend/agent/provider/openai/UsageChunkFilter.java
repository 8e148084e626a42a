package dev.nullspend.agent.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.provider.ByteSearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Takes the usage chunk out of an OpenAI Chat Completions event stream whose request did not
 * ask for usage, after the agent asked for it ({@link IncludeUsage}): the event whose data is a
 * chunk with {@code "choices":[]} and a {@code usage} object (docs/providers/openai.md#chat-completions), sent just before
 * {@code data: [DONE]}. The program then reads the stream it asked for; every other byte passes
 * unchanged and in order.
 *
 * <p>Each SSE event is held until its blank line decides it (at most {@link #MAX_HELD} bytes: a
 * longer event passes on as it comes, since no usage chunk is that long); once the usage chunk
 * is gone, the rest of the stream passes straight through. Line ends may be LF, CRLF or CR.
 */
public final class UsageChunkFilter implements ResponseFilter {
    /** The most bytes of one event held back; a usage chunk is well under 1 KB. */
    public static final int MAX_HELD = 64 * 1024;

    private static final JsonFactory JSON = new JsonFactory();
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
    private static final int NO_LF = 0;
    private static final int KEEP_LF = 1;
    private static final int DROP_LF = 2;

    private byte[] held = new byte[512];
    private int heldLength;
    /** The current event outgrew {@link #MAX_HELD}: the rest of it passes as it comes. */
    private boolean passing;
    /** The usage chunk was taken out: everything after it passes. */
    private boolean done;
    private int lineLength;
    /** What one {@link #filter} call passes on, reused from call to call. */
    private final Output out = new Output();
    private boolean afterCr;
    /** An event ended on a lone CR: a LF right after it still belongs to that event, and shares its fate. */
    private int pendingLf = NO_LF;

    @Override
    public ByteBuffer filter(ByteBuffer bytes) {
        if (done && pendingLf == NO_LF) {
            ByteBuffer all = bytes.slice();
            bytes.position(bytes.limit());
            return all;
        }
        byte[] buf;
        int i;
        int end;
        if (bytes.hasArray()) {
            buf = bytes.array();
            i = bytes.arrayOffset() + bytes.position();
            end = i + bytes.remaining();
        } else {
            buf = new byte[bytes.remaining()];
            bytes.duplicate().get(buf);
            i = 0;
            end = buf.length;
        }
        bytes.position(bytes.limit());
        out.begin(heldLength + end - i);
        i = afterPendingLf(buf, i, end);
        // The current event's bytes not yet passed on: held[0, heldLength), then buf[eventStart, i).
        int eventStart = i;
        while (i < end && !done) {
            int e = ByteSearch.lineEnd(buf, i, end);
            if (e > i) {
                afterCr = false;
                lineLength += e - i;
                if (!passing && heldLength + (e - eventStart) > MAX_HELD) {
                    out.copy(held, 0, heldLength);
                    out.add(buf, eventStart, e);
                    heldLength = 0;
                    eventStart = e;
                    passing = true;
                }
            }
            if (e == end) {
                i = end;
                break;
            }
            byte b = buf[e];
            i = e + 1;
            if (b == '\n' && afterCr) {
                afterCr = false; // the LF of a CRLF: its line already ended
                continue;
            }
            afterCr = b == '\r';
            boolean blank = lineLength == 0;
            lineLength = 0;
            if (!blank) {
                continue;
            }
            // A blank line: the event ends with this byte and is decided.
            boolean dropped = false;
            if (passing) {
                out.add(buf, eventStart, i);
            } else if (heldLength == 0) {
                dropped = isUsageChunk(buf, eventStart, i - eventStart);
                if (!dropped) {
                    out.add(buf, eventStart, i);
                }
            } else {
                hold(buf, eventStart, i);
                dropped = isUsageChunk(held, 0, heldLength);
                if (!dropped) {
                    out.copy(held, 0, heldLength);
                }
            }
            heldLength = 0;
            passing = false;
            done = dropped;
            if (afterCr) {
                pendingLf = dropped ? DROP_LF : KEEP_LF;
                afterCr = false;
            }
            i = afterPendingLf(buf, i, end);
            eventStart = i;
        }
        if (done) {
            out.add(buf, i, end);
        } else if (passing) {
            out.add(buf, eventStart, end);
        } else {
            hold(buf, eventStart, end);
        }
        return out.result();
    }

    /** A LF right after an event that ended on a lone CR shares the event's fate; the index after it. */
    private int afterPendingLf(byte[] buf, int i, int end) {
        if (pendingLf == NO_LF || i == end) {
            return i;
        }
        int fate = pendingLf;
        pendingLf = NO_LF;
        if (buf[i] != '\n') {
            return i;
        }
        if (fate == KEEP_LF) {
            out.add(buf, i, i + 1);
        }
        return i + 1;
    }

    /**
     * The event the body ended in, before its blank line: passed on, unless it is the usage chunk
     * (a stream cut right after it), which is still the agent's.
     */
    @Override
    public ByteBuffer finish() {
        if (heldLength == 0) {
            return NOTHING;
        }
        ByteBuffer rest = isUsageChunk(held, heldLength) ? NOTHING : ByteBuffer.wrap(Arrays.copyOf(held, heldLength));
        heldLength = 0;
        return rest;
    }

    private void hold(byte[] buf, int from, int to) {
        int needed = heldLength + to - from;
        if (needed > held.length) {
            held = Arrays.copyOf(held, Math.max(needed, held.length * 2));
        }
        System.arraycopy(buf, from, held, heldLength, to - from);
        heldLength = needed;
    }

    /** True when the event's data is a chunk with an empty {@code choices} array and a {@code usage} object. */
    static boolean isUsageChunk(byte[] event, int length) {
        return isUsageChunk(event, 0, length);
    }

    private static boolean isUsageChunk(byte[] buf, int off, int length) {
        if (!mayHaveEmptyArray(buf, off, off + length)) {
            return false;
        }
        byte[] data = data(buf, off, length);
        if (data == null) {
            return false;
        }
        boolean noChoices = false;
        boolean usage = false;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("choices".equals(name)) {
                    noChoices = value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
                    if (!noChoices) {
                        return false;
                    }
                } else if ("usage".equals(name)) {
                    usage = value == JsonToken.START_OBJECT;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            return noChoices && usage && p.currentToken() == JsonToken.END_OBJECT;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * False only when the event cannot be a usage chunk: it is one line (a blank line ends it)
     * without an empty array ({@code [}, spaces or tabs, {@code ]}; brackets no JSON escape can
     * hide). Spares the parse of every content chunk; an event of several lines is always parsed.
     */
    private static boolean mayHaveEmptyArray(byte[] buf, int off, int end) {
        int lineEnd = ByteSearch.lineEnd(buf, off, end);
        for (int k = lineEnd; k < end; k++) {
            if (buf[k] != '\n' && buf[k] != '\r') {
                return true;
            }
        }
        for (int j = off; (j = ByteSearch.indexOf(buf, j, lineEnd, (byte) ']')) < lineEnd; j++) {
            int k = j - 1;
            while (k >= off && (buf[k] == ' ' || buf[k] == '\t')) {
                k--;
            }
            if (k >= off && buf[k] == '[') {
                return true;
            }
        }
        return false;
    }

    /** The event's {@code data:} lines joined by LF (SSE's rule), or null when it has none. */
    private static byte[] data(byte[] event, int off, int length) {
        ByteArrayOutputStream data = null;
        int stop = off + length;
        int start = off;
        while (start < stop) {
            int end = start;
            while (end < stop && event[end] != '\n' && event[end] != '\r') {
                end++;
            }
            if (end - start >= DATA.length && Arrays.equals(event, start, start + DATA.length, DATA, 0, DATA.length)) {
                int from = start + DATA.length;
                if (from < end && event[from] == ' ') {
                    from++;
                }
                if (data == null) {
                    data = new ByteArrayOutputStream(end - from);
                } else {
                    data.write('\n');
                }
                data.write(event, from, end - from);
            }
            start = end + 1;
        }
        return data == null ? null : data.toByteArray();
    }

    /**
     * The bytes one {@link #filter} call passes on: while they are one run of the input they are
     * returned in place (no copy); a second piece (held bytes, a gap where the usage chunk was)
     * gathers them into one array.
     */
    private static final class Output {
        private byte[] run;
        private int runFrom;
        private int runTo;
        private byte[] gathered;
        private int gatheredLength;
        private int capacity;

        void begin(int capacity) {
            this.capacity = capacity;
            run = null;
            gathered = null;
            gatheredLength = 0;
        }

        /** Bytes of the input: passed in place while they extend one run. */
        void add(byte[] buf, int from, int to) {
            add(buf, from, to, true);
        }

        /** Bytes of an array reused within the call (the held event): always copied. */
        void copy(byte[] buf, int from, int to) {
            add(buf, from, to, false);
        }

        private void add(byte[] buf, int from, int to, boolean inPlace) {
            if (to <= from) {
                return;
            }
            if (gathered == null && inPlace) {
                if (run == null) {
                    run = buf;
                    runFrom = from;
                    runTo = to;
                    return;
                }
                if (run == buf && runTo == from) {
                    runTo = to;
                    return;
                }
            }
            if (gathered == null) {
                gathered = new byte[capacity];
                if (run != null) {
                    System.arraycopy(run, runFrom, gathered, 0, runTo - runFrom);
                    gatheredLength = runTo - runFrom;
                    run = null;
                }
            }
            System.arraycopy(buf, from, gathered, gatheredLength, to - from);
            gatheredLength += to - from;
        }

        ByteBuffer result() {
            ByteBuffer result = gathered != null ? ByteBuffer.wrap(gathered, 0, gatheredLength)
                    : run != null ? ByteBuffer.wrap(run, runFrom, runTo - runFrom).slice() : NOTHING;
            run = null;
            gathered = null;
            return result;
        }
    }
}
