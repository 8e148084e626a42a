package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.ResponseSinkOutputStream;
import dev.nullspend.agent.log.AgentLog;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Shows each chunk the program reads from the response body to the call's sink, at the moment
 * it is read: nothing is read ahead or held back. The end of the body completes the call; a close
 * before the end cancels it; a read failure fails it.
 *
 * <p>With a {@link ResponseFilter}, each chunk read goes to the sink as it came and the program
 * gets what the filter passes; a chunk the filter holds back entirely makes the read go on to
 * the next one, so a read returns data or the end, as a {@code Source} must.
 */
public final class TeeSource extends ForwardingSource {
    private final ResponseSink sink;
    private final ResponseSinkOutputStream copy;
    private final ResponseFilter filter;
    /** With a filter: where the body's own bytes land before the filter sees them. */
    private final Buffer unfiltered;
    /** With a filter: the bytes of one read as an array, for the filter; reused from read to read. */
    private byte[] chunk = new byte[0];
    /** The body ended or failed: the close that follows is no cancel. */
    private boolean ended;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public TeeSource(Source delegate, ResponseSink sink, ResponseFilter filter) {
        super(delegate);
        this.sink = sink;
        this.copy = new ResponseSinkOutputStream(sink);
        this.filter = filter;
        this.unfiltered = filter == null ? null : new Buffer();
    }

    @Override
    public long read(Buffer buffer, long byteCount) throws IOException {
        if (filter == null) {
            return readThrough(buffer, byteCount);
        }
        for (;;) {
            long n = readThrough(unfiltered, byteCount);
            ByteBuffer passed = n == -1 ? filter.finish() : filter.filter(takeUnfiltered());
            int length = passed.remaining();
            if (length > 0) {
                buffer.write(passed.array(), passed.arrayOffset() + passed.position(), length);
                return length;
            }
            if (n == -1) {
                return -1;
            }
        }
    }

    /**
     * The bytes just read, moved out of {@link #unfiltered} into the reused {@link #chunk}: the
     * filter passes them on in place when it can, and the program's buffer copies them at once.
     */
    private ByteBuffer takeUnfiltered() {
        int size = (int) unfiltered.size();
        if (chunk.length < size) {
            chunk = new byte[size];
        }
        for (int at = 0; at < size; ) {
            at += unfiltered.read(chunk, at, size - at);
        }
        return ByteBuffer.wrap(chunk, 0, size);
    }

    /** Reads from the body into {@code buffer} and shows the sink what was read. */
    private long readThrough(Buffer buffer, long byteCount) throws IOException {
        long n;
        try {
            n = super.read(buffer, byteCount);
        } catch (IOException | RuntimeException | Error e) {
            ended = true;
            sink.onError(e);
            throw e;
        }
        if (n == -1) {
            ended = true;
            sink.onComplete();
        } else if (n > 0) {
            show(buffer, n);
        }
        return n;
    }

    /** The last {@code n} bytes of {@code buffer} are the ones just read; copying leaves them in place. */
    private void show(Buffer buffer, long n) {
        try {
            buffer.copyTo(copy, buffer.size() - n, n);
        } catch (Throwable t) {
            AgentLog.warnOnce("okhttp-tee-read:" + t.getClass().getName(),
                    "cannot show an OkHttp response to the usage parser; the call is billed at its estimate", t);
            ended = true;
            sink.onError(t);
        }
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            ended = true;
            sink.onCancel();
        }
        super.close();
    }
}
