package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.ResponseSinkOutputStream;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.log.AgentLog;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

import java.io.IOException;

/**
 * Shows each chunk the program reads from the response body to the call's sink, at the moment
 * it is read: nothing is read ahead or held back. The end of the body completes the call; a close
 * before the end cancels it; a read failure fails it.
 */
public final class TeeSource extends ForwardingSource {
    private final ResponseSink sink;
    private final ResponseSinkOutputStream copy;
    /** The body ended or failed: the close that follows is no cancel. */
    private boolean ended;

    public TeeSource(Source delegate, ResponseSink sink) {
        super(delegate);
        this.sink = sink;
        this.copy = new ResponseSinkOutputStream(sink);
    }

    @Override
    public long read(Buffer buffer, long byteCount) throws IOException {
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
