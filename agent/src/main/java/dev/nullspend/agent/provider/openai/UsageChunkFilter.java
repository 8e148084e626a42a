package dev.nullspend.agent.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nullspend.agent.exchange.ResponseFilter;

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
        byte[] out = new byte[heldLength + bytes.remaining()];
        int o = 0;
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (pendingLf != NO_LF) {
                int fate = pendingLf;
                pendingLf = NO_LF;
                if (b == '\n') {
                    if (fate == KEEP_LF) {
                        out[o++] = b;
                    }
                    continue;
                }
            }
            if (done || passing) {
                out[o++] = b;
            } else {
                hold(b);
            }
            if (done) {
                continue;
            }
            if (b == '\n' && afterCr) {
                afterCr = false; // the LF of a CRLF: its line already ended
            } else if (b == '\n' || b == '\r') {
                afterCr = b == '\r';
                if (lineLength == 0) {
                    boolean dropped = !passing && isUsageChunk(held, heldLength);
                    if (!passing && !dropped) {
                        System.arraycopy(held, 0, out, o, heldLength);
                        o += heldLength;
                    }
                    heldLength = 0;
                    passing = false;
                    done = dropped;
                    if (afterCr) {
                        pendingLf = dropped ? DROP_LF : KEEP_LF;
                        afterCr = false;
                    }
                }
                lineLength = 0;
            } else {
                afterCr = false;
                lineLength++;
                if (!passing && heldLength > MAX_HELD) {
                    System.arraycopy(held, 0, out, o, heldLength);
                    o += heldLength;
                    heldLength = 0;
                    passing = true;
                }
            }
        }
        return o == 0 ? NOTHING : ByteBuffer.wrap(out, 0, o);
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

    private void hold(byte b) {
        if (heldLength == held.length) {
            held = Arrays.copyOf(held, held.length * 2);
        }
        held[heldLength++] = b;
    }

    /** True when the event's data is a chunk with an empty {@code choices} array and a {@code usage} object. */
    static boolean isUsageChunk(byte[] event, int length) {
        byte[] data = data(event, length);
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

    /** The event's {@code data:} lines joined by LF (SSE's rule), or null when it has none. */
    private static byte[] data(byte[] event, int length) {
        ByteArrayOutputStream data = null;
        int start = 0;
        while (start < length) {
            int end = start;
            while (end < length && event[end] != '\n' && event[end] != '\r') {
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
}
