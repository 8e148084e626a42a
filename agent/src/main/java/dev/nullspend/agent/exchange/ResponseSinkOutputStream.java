package dev.nullspend.agent.exchange;

import dev.nullspend.agent.exchange.ResponseSink;

import java.io.OutputStream;

/**
 * Lets Okio's {@code Buffer.copyTo(OutputStream, …)} hand its segments straight to a
 * {@link ResponseSink}, without an intermediate copy. JDK types only: loaded from the boot class
 * path, not injected.
 */
public final class ResponseSinkOutputStream extends OutputStream {
    private final ResponseSink sink;

    public ResponseSinkOutputStream(ResponseSink sink) {
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        sink.onBytes(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        sink.onBytes(b, off, len);
    }
}
