package dev.nullspend.agent.provider;

import java.nio.ByteBuffer;

/**
 * A consumer of byte-array slices that also takes {@link ByteBuffer}s, the way the body tees
 * hand them over: a heap buffer is read in place, any other through one reused 8 KiB chunk, and
 * the caller's buffer position is never moved. The one place that turns buffers into slices for
 * the parsers (JSON picker, SSE/NDJSON line reader, JSON-array splitter).
 */
public abstract class ByteFeed {
    public static final int CHUNK_BYTES = 8 * 1024;

    private byte[] chunk;

    /** Reads {@code len} bytes of {@code buf} from {@code off}; the array is only read during this call. */
    public abstract void feed(byte[] buf, int off, int len);

    /** False once the consumer wants no more input (ended, failed): feeding stops early. */
    protected boolean accepting() {
        return true;
    }

    /** Feeds the next bytes (position to limit); {@code bytes}' position and content are left untouched. */
    public final void feed(ByteBuffer bytes) {
        if (!accepting() || !bytes.hasRemaining()) {
            return;
        }
        if (bytes.hasArray()) {
            feed(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            return;
        }
        if (chunk == null) {
            chunk = new byte[CHUNK_BYTES];
        }
        ByteBuffer source = bytes.duplicate();
        while (source.hasRemaining() && accepting()) {
            int n = Math.min(source.remaining(), chunk.length);
            source.get(chunk, 0, n);
            feed(chunk, 0, n);
        }
    }
}
