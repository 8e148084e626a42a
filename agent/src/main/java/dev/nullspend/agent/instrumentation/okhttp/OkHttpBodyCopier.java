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
    /** Why an older OkHttp's body is unknown: the client version, not the body. */
    static final String BEFORE_3_14 = "OkHttp older than 3.14, which cannot say whether a body may be written twice";

    private final RequestBody body;
    private volatile String unreadableReason;

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
        } catch (LinkageError e) {
            unreadableReason = BEFORE_3_14; // no RequestBody.isOneShot: an unsupported version for reading bodies
            return null;
        } catch (Throwable t) {
            return null; // the program's writeTo failed: body unknown
        }
    }

    @Override
    public String unreadableReason() {
        String reason = unreadableReason;
        return reason != null ? reason : Exchange.BodySource.super.unreadableReason();
    }
}
