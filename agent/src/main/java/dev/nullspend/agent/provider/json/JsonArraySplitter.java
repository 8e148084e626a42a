package dev.nullspend.agent.provider.json;

import dev.nullspend.agent.provider.ByteFeed;
import dev.nullspend.agent.provider.framing.BodySplitter;
import dev.nullspend.agent.provider.framing.DocumentPieces;

/**
 * Splits a top-level JSON array that arrives in pieces ({@code [{…},\r\n{…}]}, Gemini's
 * {@code streamGenerateContent} without {@code alt=sse}) into its elements, handing each object
 * or array element to an {@link DocumentPieces} as it passes: begun, fed in slices, ended. No
 * element is ever held, so an element's size is not bounded here. A body that is one object
 * instead of an array is handed on as a single element; scalar elements are skipped.
 *
 * <p>Works on bytes (a slice may end inside a multi-byte UTF-8 character or an escape) and
 * tracks strings and escapes, so brackets inside string values never count. Anything that is
 * not an array or object at the top level stops the splitting. Not thread-safe.
 */
public final class JsonArraySplitter extends ByteFeed implements BodySplitter {

    private enum State { START, BETWEEN, IN_ELEMENT, IN_SCALAR, DONE }


    private final DocumentPieces listener;
    private State state = State.START;
    /** The body is one object, not an array: after it, nothing more is read. */
    private boolean single;
    private int depth;
    private boolean inString;
    private boolean escaped;
    private boolean ended;

    public JsonArraySplitter(DocumentPieces listener) {
        this.listener = listener;
    }

    /** Feeds {@code len} bytes of {@code buf} from {@code off}; the array is only read during this call. */
    @Override
    protected boolean accepting() {
        return !ended;
    }

    @Override
    public void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && !ended) {
            switch (state) {
                case START:
                    i = start(buf, i);
                    break;
                case BETWEEN:
                    i = between(buf, i);
                    break;
                case IN_ELEMENT:
                    i = element(buf, i, end);
                    break;
                case IN_SCALAR:
                    i = scalar(buf, i);
                    break;
                default:
                    return;
            }
        }
    }

    /** The body ended: an element still open is ended (incomplete). Later feeds are ignored. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (state == State.IN_ELEMENT) {
            listener.end();
        }
        state = State.DONE;
    }

    private int start(byte[] buf, int i) {
        byte b = buf[i];
        if (isSpace(b) || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF) {
            // Whitespace, or a UTF-8 byte order mark.
            return i + 1;
        }
        if (b == '[') {
            state = State.BETWEEN;
            return i + 1;
        }
        if (b == '{') {
            single = true;
            beginElement();
            return i;
        }
        state = State.DONE;
        return i + 1;
    }

    private int between(byte[] buf, int i) {
        byte b = buf[i];
        if (isSpace(b) || b == ',') {
            return i + 1;
        }
        if (b == ']') {
            state = State.DONE;
            return i + 1;
        }
        if (b == '{' || b == '[') {
            beginElement();
            return i;
        }
        state = State.IN_SCALAR;
        inString = b == '"';
        escaped = false;
        return i + 1;
    }

    private void beginElement() {
        state = State.IN_ELEMENT;
        depth = 0;
        inString = false;
        escaped = false;
        listener.begin(null);
    }

    /** Scans the element from {@code i}; hands on its bytes up to its end or the slice's end. */
    private int element(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (stringByte(b)) {
                continue;
            }
            if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                listener.part(buf, from, i + 1 - from);
                listener.end();
                state = single ? State.DONE : State.BETWEEN;
                return i + 1;
            }
        }
        listener.part(buf, from, end - from);
        return end;
    }

    /** Skips a scalar element: up to the {@code ,} or {@code ]} after it. */
    private int scalar(byte[] buf, int i) {
        byte b = buf[i];
        if (!stringByte(b)) {
            if (b == ',') {
                state = State.BETWEEN;
            } else if (b == ']') {
                state = State.DONE;
            }
        }
        return i + 1;
    }

    /** Follows strings and their escapes: true when {@code b} is part of one (its quotes included), so no structure. */
    private boolean stringByte(byte b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return true;
        }
        if (b == '"') {
            inString = true;
            return true;
        }
        return false;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
