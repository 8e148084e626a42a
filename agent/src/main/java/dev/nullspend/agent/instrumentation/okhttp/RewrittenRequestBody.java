package dev.nullspend.agent.instrumentation.okhttp;

import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;

/**
 * The body the agent sends instead of the program's (see {@code RequestRewrite}): the same
 * content type, the new bytes, their exact length. A class of its own rather than
 * {@code RequestBody.create}, whose signature differs between OkHttp 3 and 4/5.
 */
public final class RewrittenRequestBody extends RequestBody {
    private final MediaType contentType;
    private final byte[] bytes;

    public RewrittenRequestBody(MediaType contentType, byte[] bytes) {
        this.contentType = contentType;
        this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
        return contentType;
    }

    @Override
    public long contentLength() {
        return bytes.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes);
    }
}
