package dev.nullspend.agent.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/** Test helper: AWS event-stream messages with correct CRCs, as Bedrock writes them. */
public final class EventStreamMessages {
    private EventStreamMessages() {
    }

    /** An {@code event} message of {@code eventType} with a JSON payload. */
    public static byte[] event(String eventType, String json) {
        return message(json.getBytes(StandardCharsets.UTF_8), ":event-type", eventType, ":content-type", "application/json",
                ":message-type", "event");
    }

    /** A {@code chunk} event carrying {@code json} base64-encoded, as InvokeModelWithResponseStream does. */
    public static byte[] chunk(String json) {
        String base64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        return event("chunk", "{\"bytes\":\"" + base64 + "\",\"p\":\"abcd\"}");
    }

    /** A message with string headers (name, value pairs) and {@code payload}. */
    public static byte[] message(byte[] payload, String... headers) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (int i = 0; i < headers.length; i += 2) {
            byte[] name = headers[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = headers[i + 1].getBytes(StandardCharsets.UTF_8);
            h.write(name.length);
            h.writeBytes(name);
            h.write(7);
            h.write(value.length >> 8);
            h.write(value.length & 0xff);
            h.writeBytes(value);
        }
        return raw(h.toByteArray(), payload);
    }

    /** A message with these encoded headers (any types) and {@code payload}, both CRCs correct. */
    public static byte[] raw(byte[] headers, byte[] payload) {
        int total = 12 + headers.length + payload.length + 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headers.length).putInt(crc(b.array(), 0, 8));
        b.put(headers).put(payload);
        b.putInt(crc(b.array(), 0, total - 4));
        return b.array();
    }

    /** The encoded headers of {@code message}. */
    public static byte[] headers(byte[] message) {
        return java.util.Arrays.copyOfRange(message, 12, 12 + ByteBuffer.wrap(message).getInt(4));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int crc(byte[] buf, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }
}
