package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/**
 * The response body the program gets for a tracked call: the original's type and length, and
 * its bytes through a {@link TeeSource}. Whatever way the program reads ({@code string()},
 * {@code bytes()}, {@code byteStream()}, {@code source()}), it reads through the tee. With a
 * {@link ResponseFilter} the length is no longer known in advance: -1.
 */
public final class TeeResponseBody extends ResponseBody {
    private final ResponseBody delegate;
    private final BufferedSource source;
    private final boolean filtered;

    /** @param filter what the program reads instead of the body's bytes, or {@code null} */
    public TeeResponseBody(ResponseBody delegate, ResponseSink sink, ResponseFilter filter) {
        this.delegate = delegate;
        this.source = Okio.buffer(new TeeSource(delegate.source(), sink, filter));
        this.filtered = filter != null;
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return filtered ? -1 : delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        return source;
    }
}
