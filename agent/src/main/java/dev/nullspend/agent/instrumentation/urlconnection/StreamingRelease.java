package dev.nullspend.agent.instrumentation.urlconnection;

import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;

/**
 * Sends a streaming-mode request once its held body is complete (or longer than what is held):
 * the call is decided on it, its rewrite applied — headers, and a replaced body with the fixed
 * length set to the new body's, since the JDK writes that length as {@code Content-Length} and
 * checks the body against it — and only then is the JDK's own output stream opened, which writes
 * the headers, and the body written to it. A body is replaced only when the agent holds all of it
 * and, in the fixed-length mode, it has the length the program declared (otherwise the JDK fails
 * the request as the program wrote it).
 */
final class StreamingRelease implements HeldRequestBody.Release {
    private final HttpURLConnection connection;
    private final ConnectionCall state;
    private final ConnectionInternals internals;

    StreamingRelease(HttpURLConnection connection, ConnectionCall state, ConnectionInternals internals) {
        this.connection = connection;
        this.state = state;
        this.internals = internals;
    }

    @Override
    public OutputStream release(byte[] body, boolean complete) throws IOException {
        RequestRewrite rewrite = UrlConnectionAdapter.decide(state, connection, internals, () -> body,
                complete ? body.length : declaredLength());
        byte[] send = body;
        if (rewrite != null) {
            UrlConnectionAdapter.applyHeaders(connection, internals, rewrite);
            if (rewrite.replacesBody() && complete) {
                send = replaced(body, rewrite.body());
            }
        }
        state.released();
        OutputStream out = connection.getOutputStream();
        out.write(send);
        return out;
    }

    /** The length of a body longer than what is held: the fixed length when there is one (estimates count it), else unknown. */
    private long declaredLength() {
        try {
            return internals.chunked(connection) ? -1 : internals.fixedLength(connection);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** The body to send for a rewrite of {@code body}: {@code rewritten}, with the fixed length made its; or {@code body}. */
    private byte[] replaced(byte[] body, byte[] rewritten) {
        try {
            if (!internals.chunked(connection)) {
                if (internals.fixedLength(connection) != body.length) {
                    return body;
                }
                internals.setFixedLength(connection, rewritten.length);
            }
            return rewritten;
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-length:" + t.getClass().getName(),
                    "cannot rewrite a streamed HttpURLConnection body; it is sent as the program wrote it", t);
            return body;
        }
    }
}
