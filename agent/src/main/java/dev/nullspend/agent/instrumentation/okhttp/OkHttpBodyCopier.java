package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.Exchange;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;

/**
 * Copies an OkHttp request body for recognition by writing it once more, as OkHttp itself does
 * on a retry, keeping its first {@link Exchange#MAX_BODY_COPY} bytes. One-shot and duplex bodies
 * (streams, the SDKs' non-repeatable uploads) are never written twice: their body stays unknown.
 */
public final class OkHttpBodyCopier implements Exchange.BodySource {
    private final RequestBody body;

    /** @param body the request's body, or {@code null} */
    public OkHttpBodyCopier(RequestBody body) {
        this.body = body;
    }

    /** The body's first bytes, or {@code null} when it cannot be written twice or writing it failed. */
    @Override
    public byte[] read() {
        try {
            if (body == null || body.isOneShot() || body.isDuplex()) {
                return null;
            }
            BodyPrefixSink prefix = new BodyPrefixSink(Exchange.MAX_BODY_COPY);
            BufferedSink out = Okio.buffer(prefix);
            body.writeTo(out);
            out.flush();
            return prefix.bytes();
        } catch (Throwable t) {
            return null; // OkHttp before 3.14 (no isOneShot), or the program's writeTo failed: body unknown
        }
    }
}
