package dev.nullspend.agent.exchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;

/**
 * Bodies that are {@code java.io} streams, as in clients whose entities hand out an
 * {@link InputStream} and write to an {@link OutputStream} (Apache HttpClient 4 and 5): how to
 * copy a request body for recognition, and how to tee a response body into a
 * {@link ResponseSink} as the program reads or writes it. JDK types only, so one copy on the
 * bootstrap class path serves every library's helpers.
 *
 * <p>The helpers hand themselves in as {@link Opener}/{@link Body} objects rather than as lambdas
 * or method references: a helper class also exists on the bootstrap class path (it is in the
 * agent jar), and the JDK links a lambda over a helper's own method against that copy, which
 * cannot see the library ({@code NoClassDefFoundError}).
 */
public final class StreamBodies {

    /** Opens a request body's content stream. */
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** The client's own response body, reached past the tee that wraps it. */
    public interface Body {
        InputStream openBody() throws IOException;

        void writeBody(OutputStream out) throws IOException;
    }

    private static final int COPY_CHUNK = 8192;

    private StreamBodies() {
    }

    /**
     * A lazy copy of a request body that is read from a fresh stream: only a repeatable body is
     * read (it opens a new stream every time, so the copy cannot disturb what is sent), and at
     * most {@link Exchange#MAX_BODY_COPY} bytes of it. A non-repeatable body stays unknown.
     */
    public static Exchange.BodySource requestBody(boolean repeatable, Opener content) {
        return repeatable ? new RepeatableBody(content) : Exchange.BodySource.NONE;
    }

    /** The first {@link Exchange#MAX_BODY_COPY} bytes of {@code in} (all of it when shorter). */
    static byte[] prefix(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[COPY_CHUNK];
        for (int n; out.size() < Exchange.MAX_BODY_COPY
                && (n = in.read(buf, 0, Math.min(buf.length, Exchange.MAX_BODY_COPY - out.size()))) != -1; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The content stream of a response body, teed: every byte the program reads also goes to
     * {@code sink}; its end completes the sink, a read error fails it, a close before the end
     * cancels it. A failure to open the stream fails the sink too. With a {@code filter} (may be
     * null) the program reads what it passes.
     */
    public static InputStream teeContent(Body body, ResponseSink sink, ResponseFilter filter) throws IOException {
        InputStream in;
        try {
            in = body.openBody();
        } catch (IOException | RuntimeException e) {
            sink.onError(e);
            throw e;
        }
        return in == null ? null : new TeeInputStream(in, sink, filter);
    }

    /**
     * Writes a response body to the program's {@code out} through a tee: the sink sees each
     * byte as it is written, and completes when the write returns (fails when it throws). With a
     * {@code filter} (may be null) the program's stream gets what it passes.
     */
    public static void teeWriteTo(Body body, OutputStream out, ResponseSink sink, ResponseFilter filter) throws IOException {
        TeeOutputStream tee = new TeeOutputStream(out, sink, filter);
        try {
            body.writeBody(tee);
            tee.finish();
        } catch (IOException | RuntimeException e) {
            sink.onError(e);
            throw e;
        }
        sink.onComplete();
    }

    /**
     * The first bytes of {@code in}, at most {@code max + 1}: a result of at most {@code max}
     * bytes is the whole body, a longer one only its start. For the few responses that must be
     * read before the program gets them (a NullSpend proxy's possible denial); see {@link #replay}.
     */
    public static byte[] readAhead(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[COPY_CHUNK];
        for (int n; out.size() <= max && (n = in.read(buf, 0, Math.min(buf.length, max + 1 - out.size()))) != -1; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** What the program reads after {@link #readAhead}: the bytes read ahead, then the rest of {@code rest}. */
    public static InputStream replay(byte[] ahead, InputStream rest) {
        return new SequenceInputStream(new ByteArrayInputStream(ahead), rest);
    }

    /**
     * A repeatable request body, copied when recognition first asks for it. Some entities call
     * themselves repeatable yet hand out one and the same stream every time, and rewind it only
     * for a retry (the AWS SDK's Apache entities, whose stream supports {@code mark}): reading that
     * stream would take the body away from the request, which then sends nothing. So the content is
     * opened twice; the same stream twice is read only when it can be put back with
     * {@code mark}/{@code reset}, and is never closed.
     */
    private static final class RepeatableBody implements Exchange.BodySource {
        private final Opener content;

        RepeatableBody(Opener content) {
            this.content = content;
        }

        @Override
        public byte[] read() {
            InputStream in = null;
            InputStream again = null;
            try {
                in = content.open();
                if (in == null) {
                    return new byte[0];
                }
                again = content.open();
                if (again == in) {
                    return in.markSupported() ? readAndPutBack(in) : null;
                }
                return prefix(in);
            } catch (IOException | RuntimeException e) {
                return null; // an entity that cannot be read twice after all: the body stays unknown
            } finally {
                if (again != in) {
                    closeQuietly(in);
                    closeQuietly(again);
                }
            }
        }

        private static byte[] readAndPutBack(InputStream shared) throws IOException {
            shared.mark(Integer.MAX_VALUE);
            try {
                return prefix(shared);
            } finally {
                shared.reset();
            }
        }

        private static void closeQuietly(InputStream in) {
            if (in == null) {
                return;
            }
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // a copy's stream: nothing of the program's depends on it
            }
        }
    }
}
