package dev.nullspend.agent.exchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Passes a body to the program's stream and shows the {@link ResponseSink} each byte once the
 * program's stream took it. With a {@link ResponseFilter} the program's stream gets what the
 * filter passes, and {@link #finish()} writes what it held back at the end.
 */
final class TeeOutputStream extends OutputStream {
    private final OutputStream out;
    private final ResponseSink sink;
    private final ResponseFilter filter;

    TeeOutputStream(OutputStream out, ResponseSink sink, ResponseFilter filter) {
        this.out = out;
        this.sink = sink;
        this.filter = filter;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (filter == null) {
            out.write(b, off, len);
        } else {
            write(filter.filter(ByteBuffer.wrap(b, off, len)));
        }
        sink.onBytes(b, off, len);
    }

    /** The body was written to the end: the bytes the filter still held go to the program. */
    void finish() throws IOException {
        if (filter != null) {
            write(filter.finish());
        }
    }

    private void write(ByteBuffer passed) throws IOException {
        if (passed.hasRemaining()) {
            out.write(passed.array(), passed.arrayOffset() + passed.position(), passed.remaining());
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
