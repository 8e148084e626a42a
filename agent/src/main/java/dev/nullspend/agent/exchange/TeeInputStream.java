package dev.nullspend.agent.exchange;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a body stream to the program and shows the {@link ResponseSink} every byte the program
 * reads, when it reads it: nothing is read ahead or kept. End of stream completes the sink, a
 * read error fails it, {@link #close()} before the end cancels it (a sink counts only the first
 * of these). Skipped bytes are read through {@link #read(byte[], int, int)}, so the sink sees them
 * too; mark/reset is not supported.
 */
final class TeeInputStream extends InputStream {
    private final InputStream in;
    private final ResponseSink sink;

    TeeInputStream(InputStream in, ResponseSink sink) {
        this.in = in;
        this.sink = sink;
    }

    @Override
    public int read() throws IOException {
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
        return in.available();
    }

    /** Cancels the sink unless the end was already read, then closes the stream (which may drain what is left unseen). */
    @Override
    public void close() throws IOException {
        sink.onCancel();
        in.close();
    }
}
