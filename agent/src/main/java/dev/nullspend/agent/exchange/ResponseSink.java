package dev.nullspend.agent.exchange;

import java.nio.ByteBuffer;

/**
 * Where a client adapter's body tee sends the response as the program reads it. Calls come
 * serially (perhaps from several threads, one after another); exactly one of
 * {@link #onComplete()}, {@link #onError(Throwable)}, {@link #onCancel()} counts — later ones are ignored.
 * Implementations never throw.
 */
public interface ResponseSink {
    /** The next bytes of the body as received (still content-encoded); the buffer must not be changed. */
    void onBytes(ByteBuffer bytes);

    /** Same as {@link #onBytes(ByteBuffer)} for an array slice. */
    default void onBytes(byte[] bytes, int offset, int length) {
        onBytes(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The body ended normally. */
    void onComplete();

    /** Reading the body failed. */
    void onError(Throwable error);

    /** The program stopped reading before the end (closed or cancelled). */
    void onCancel();
}
