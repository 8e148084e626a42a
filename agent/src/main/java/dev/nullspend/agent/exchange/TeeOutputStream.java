package dev.nullspend.agent.exchange;

import java.io.IOException;
import java.io.OutputStream;

/** Passes a body to the program's stream and shows the {@link ResponseSink} each byte once the program's stream took it. */
final class TeeOutputStream extends OutputStream {
    private final OutputStream out;
    private final ResponseSink sink;

    TeeOutputStream(OutputStream out, ResponseSink sink) {
        this.out = out;
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sink.onBytes(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sink.onBytes(b, off, len);
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
