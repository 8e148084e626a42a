package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.ByteFeed;
import dev.nullspend.agent.provider.framing.BodySplitter;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Cuts an AWS event stream (docs/providers/bedrock.md#event-stream-framing) into its messages as
 * the bytes pass, in whatever pieces they come: a 12-byte prelude (total length, headers length,
 * the prelude's CRC32), the headers, the payload, and the message's CRC32, both CRCs checked.
 *
 * <p>Only one message is held at a time, up to {@code maxMessageBytes}; a longer one passes
 * unread and is counted. A message whose CRC does not match is skipped and counted; a prelude
 * whose CRC does not match cannot say where its message ends, so the splitter drops bytes one at
 * a time until a valid prelude starts again (one bad message however many bytes it takes). Both
 * are logged once per process and never end the reading. Not thread-safe.
 */
final class EventStreamSplitter extends ByteFeed implements BodySplitter {

    /** Receives each intact message: its {@code :message-type} and {@code :event-type} headers (null when absent) and its payload. */
    interface Messages {
        void message(String messageType, String eventType, byte[] buf, int off, int len);
    }

    static final int PRELUDE_BYTES = 12;
    /** Prelude and message CRC with no headers and no payload. */
    static final int MIN_MESSAGE_BYTES = 16;
    /** The protocol's own bound on one message; a longer length can only be a corrupt prelude. */
    static final int MAX_PROTOCOL_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The longest message held: usage events are small, and anything larger is text or tool input. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final int TYPE_STRING = 7;
    private static final String MESSAGE_TYPE = ":message-type";
    private static final String EVENT_TYPE = ":event-type";

    private final int maxMessageBytes;
    private final Messages messages;
    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[256];
    private int held;
    /** Length of the message being read, once its prelude is valid; 0 before. */
    private int messageLength;
    /** Bytes of an over-long message still to let pass. */
    private long passing;
    /** True while looking for the next valid prelude after a bad one. */
    private boolean resyncing;
    private long badMessages;
    private long oversizedMessages;

    EventStreamSplitter(int maxMessageBytes, Messages messages) {
        this.maxMessageBytes = Math.max(MIN_MESSAGE_BYTES, Math.min(maxMessageBytes, MAX_PROTOCOL_MESSAGE_BYTES));
        this.messages = messages;
    }

    @Override
    public void feed(byte[] in, int off, int len) {
        while (len > 0) {
            if (passing > 0) {
                int n = (int) Math.min(passing, len);
                passing -= n;
                off += n;
                len -= n;
                continue;
            }
            int wanted = messageLength == 0 ? PRELUDE_BYTES - held : messageLength - held;
            int n = Math.min(wanted, len);
            ensureCapacity(held + n);
            System.arraycopy(in, off, buf, held, n);
            held += n;
            off += n;
            len -= n;
            if (messageLength == 0 && held == PRELUDE_BYTES) {
                onPrelude();
            } else if (messageLength > 0 && held == messageLength) {
                onMessage();
                held = 0;
                messageLength = 0;
            }
        }
    }

    /** A message cut by the end of the body is incomplete: nothing to hand over. */
    @Override
    public void end() {
        held = 0;
        messageLength = 0;
        passing = 0;
    }

    /** Messages skipped for a CRC that did not match (a run of bytes without a valid prelude counts once). */
    long badMessages() {
        return badMessages;
    }

    /** Messages longer than the bound, passed unread. */
    long oversizedMessages() {
        return oversizedMessages;
    }

    private void onPrelude() {
        int total = readInt(0);
        int headers = readInt(4);
        crc.reset();
        crc.update(buf, 0, 8);
        boolean valid = (int) crc.getValue() == readInt(8) && total >= MIN_MESSAGE_BYTES
                && total <= MAX_PROTOCOL_MESSAGE_BYTES && headers >= 0 && headers <= total - MIN_MESSAGE_BYTES;
        if (!valid) {
            if (!resyncing) {
                resyncing = true;
                bad("a prelude whose CRC or lengths are wrong");
            }
            // Look for the next valid prelude one byte further on.
            System.arraycopy(buf, 1, buf, 0, held - 1);
            held--;
            return;
        }
        resyncing = false;
        if (total > maxMessageBytes) {
            oversizedMessages++;
            AgentLog.warnOnce("bedrock-event-stream:oversized", "a Bedrock event-stream message of " + total
                    + " bytes is longer than the " + maxMessageBytes + " bytes the agent reads; it was passed unread");
            passing = total - PRELUDE_BYTES;
            held = 0;
            return;
        }
        messageLength = total;
    }

    private void onMessage() {
        crc.reset();
        crc.update(buf, 0, messageLength - 4);
        if ((int) crc.getValue() != readInt(messageLength - 4)) {
            bad("a message whose CRC is wrong");
            return;
        }
        int headersEnd = PRELUDE_BYTES + readInt(4);
        String messageType = null;
        String eventType = null;
        int p = PRELUDE_BYTES;
        while (p < headersEnd) {
            int nameLength = buf[p++] & 0xff;
            if (p + nameLength + 1 > headersEnd) {
                bad("a message whose headers overrun their length");
                return;
            }
            String name = new String(buf, p, nameLength, StandardCharsets.UTF_8);
            p += nameLength;
            int type = buf[p++] & 0xff;
            int valueLength = valueLength(type, p, headersEnd);
            if (valueLength < 0) {
                bad("a message with a header of unknown type " + type);
                return;
            }
            if (type == TYPE_STRING) {
                String value = new String(buf, p + 2, valueLength - 2, StandardCharsets.UTF_8);
                if (MESSAGE_TYPE.equals(name)) {
                    messageType = value;
                } else if (EVENT_TYPE.equals(name)) {
                    eventType = value;
                }
            }
            p += valueLength;
        }
        messages.message(messageType, eventType, buf, headersEnd, messageLength - 4 - headersEnd);
    }

    /** Bytes a header value of {@code type} takes at {@code p} (with its length prefix), or -1 when unknown or past the end. */
    private int valueLength(int type, int p, int end) {
        int n = switch (type) {
            case 0, 1 -> 0;
            case 2 -> 1;
            case 3 -> 2;
            case 4 -> 4;
            case 5, 8 -> 8;
            case 6, 7 -> p + 2 <= end ? 2 + (((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff)) : -1;
            case 9 -> 16;
            default -> -1;
        };
        return n >= 0 && p + n <= end ? n : -1;
    }

    private void bad(String what) {
        badMessages++;
        AgentLog.warnOnce("bedrock-event-stream:bad", "skipped " + what + " in a Bedrock event stream (counted; "
                + "the rest of the stream is still read)");
    }

    private int readInt(int at) {
        return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }

    private void ensureCapacity(int n) {
        if (n > buf.length) {
            byte[] bigger = new byte[Math.min(Math.max(n, buf.length * 2), maxMessageBytes)];
            System.arraycopy(buf, 0, bigger, 0, held);
            buf = bigger;
        }
    }
}
