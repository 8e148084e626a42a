package dev.nullspend.agent.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Passes a body stream to the program and shows the {@link ResponseSink} every byte the program
 * reads, when it reads it: nothing is read ahead or kept. End of stream completes the sink, a
 * read error fails it, {@link #close()} before the end cancels it (a sink counts only the first
 * of these). Skipped bytes are read through {@link #read(byte[], int, int)}, so the sink sees them
 * too; mark/reset is not supported.
 *
 * <p>With a {@link ResponseFilter} the program reads what the filter passes (the sink still sees
 * the body's own bytes); a read returns data or the end, never zero bytes.
 */
final class TeeInputStream extends InputStream {
    private static final int CHUNK = 8192;

    private final InputStream in;
    private final ResponseSink sink;
    private final ResponseFilter filter;
    /** With a filter: the body's bytes as read, and what the filter passed that the program has not read yet. */
    private final byte[] unfiltered;
    private ByteBuffer passed = ByteBuffer.allocate(0);

    TeeInputStream(InputStream in, ResponseSink sink, ResponseFilter filter) {
        this.in = in;
        this.sink = sink;
        this.filter = filter;
        this.unfiltered = filter == null ? null : new byte[CHUNK];
    }

    @Override
    public int read() throws IOException {
        if (filter != null) {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
        int b;
        try {
            b = in.read();
        } catch (IOException | RuntimeException e) {
            sink.onError(e);
            throw e;
        }
        if (b < 0) {
            sink.onComplete();
        } else {
            sink.onBytes(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (filter == null) {
            return readThrough(b, off, len);
        }
        if (len == 0) {
            return 0;
        }
        while (!passed.hasRemaining()) {
            int n = readThrough(unfiltered, 0, unfiltered.length);
            if (n < 0) {
                passed = filter.finish();
                if (!passed.hasRemaining()) {
                    return -1;
                }
            } else {
                passed = filter.filter(ByteBuffer.wrap(unfiltered, 0, n));
            }
        }
        int k = Math.min(len, passed.remaining());
        passed.get(b, off, k);
        return k;
    }

    /** Reads from the body and shows the sink what was read. */
    private int readThrough(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            sink.onError(e);
            throw e;
        }
        if (n < 0) {
            sink.onComplete();
        } else if (n > 0) {
            sink.onBytes(b, off, n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return filter == null ? in.available() : passed.remaining();
    }

    /** Cancels the sink unless the end was already read, then closes the stream (which may drain what is left unseen). */
    @Override
    public void close() throws IOException {
        sink.onCancel();
        in.close();
    }
}
