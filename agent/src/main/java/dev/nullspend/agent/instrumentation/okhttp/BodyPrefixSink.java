package dev.nullspend.agent.instrumentation.okhttp;

import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/** A sink keeping the first {@code limit} bytes written to it and dropping the rest: a bounded copy. */
public final class BodyPrefixSink implements Sink {
    private final Buffer kept = new Buffer();
    private final long limit;

    public BodyPrefixSink(long limit) {
        this.limit = limit;
    }

    @Override
    public void write(Buffer source, long byteCount) throws java.io.IOException {
        long keep = Math.min(byteCount, limit - kept.size());
        kept.write(source, keep);
        source.skip(byteCount - keep);
    }

    /** The bytes kept. */
    public byte[] bytes() {
        return kept.readByteArray();
    }

    @Override
    public void flush() {
    }

    @Override
    public Timeout timeout() {
        return Timeout.NONE;
    }

    @Override
    public void close() {
    }
}
