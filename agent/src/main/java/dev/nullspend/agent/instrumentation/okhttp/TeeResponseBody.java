package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.ResponseSink;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/**
 * The response body the program gets for a tracked call: the original's type and length, and
 * its bytes through a {@link TeeSource}. Whatever way the program reads ({@code string()},
 * {@code bytes()}, {@code byteStream()}, {@code source()}), it reads through the tee.
 */
public final class TeeResponseBody extends ResponseBody {
    private final ResponseBody delegate;
    private final BufferedSource source;

    public TeeResponseBody(ResponseBody delegate, ResponseSink sink) {
        this.delegate = delegate;
        this.source = Okio.buffer(new TeeSource(delegate.source(), sink));
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        return source;
    }
}
