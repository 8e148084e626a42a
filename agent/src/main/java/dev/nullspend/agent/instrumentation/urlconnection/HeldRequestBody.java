package dev.nullspend.agent.instrumentation.urlconnection;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * What a program writes to an {@code HttpURLConnection} in a streaming mode (fixed-length or
 * chunked), held in memory until the program closes it, or asks for the response, so that the
 * call can be checked, and its body rewritten, before any byte of the request is written: in
 * those modes the JDK writes the headers when the output stream is handed out and every body byte
 * as it is written. At most {@code max} bytes are held: a longer body is released with its first
 * {@code max} bytes, and the rest goes straight through.
 */
final class HeldRequestBody extends OutputStream {

    /** Decides on the held body and gives the stream the request really goes to; may throw a denial. */
    interface Release {
        /**
         * @param complete false when the body is longer than what is held ({@code body} is its start)
         * @return the JDK's own output stream, the (possibly rewritten) held bytes already written to it
         */
        OutputStream release(byte[] body, boolean complete) throws IOException;
    }

    private final int max;
    private final Release release;
    private byte[] buf = new byte[512];
    private int count;
    /** After the release: the JDK's stream. */
    private OutputStream out;
    /** What the release threw: every later use throws it again. */
    private IOException failed;
    private boolean closed;

    HeldRequestBody(int max, Release release) {
        this.max = max;
        this.release = release;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new IndexOutOfBoundsException();
        }
        if (failed != null) {
            throw failed;
        }
        if (closed) {
            throw new IOException("Stream is closed");
        }
        if (out == null) {
            // Fill up to the bound first: a body released early is seen as exactly max bytes, so as cut.
            int fits = Math.min(len, max - count);
            if (count + fits > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(2L * buf.length, count + fits)));
            }
            System.arraycopy(b, off, buf, count, fits);
            count += fits;
            if (fits == len) {
                return;
            }
            off += fits;
            len -= fits;
        }
        released(false).write(b, off, len);
    }

    /** Nothing is held back from the server by a flush: the request is not written before the release. */
    @Override
    public synchronized void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** The body is complete: released now, then the JDK's stream is closed, which ends the request. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        OutputStream real = released(true);
        closed = true;
        real.close();
    }

    /**
     * The program asks for the response without having closed the body: it is complete, release it
     * (the JDK closes its own stream before it reads the response). Does nothing when released already.
     */
    synchronized void releaseForResponse() throws IOException {
        if (out == null && failed == null) {
            released(true);
        }
    }

    private OutputStream released(boolean complete) throws IOException {
        if (failed != null) {
            throw failed;
        }
        if (out == null) {
            byte[] held = Arrays.copyOf(buf, count);
            buf = null;
            try {
                out = release.release(held, complete);
            } catch (IOException e) {
                failed = e;
                closed = true;
                throw e;
            }
        }
        return out;
    }
}
