package dev.nullspend.agent.provider.framing;

import java.nio.ByteBuffer;

/** Cuts one streamed body into documents as its bytes pass, in whatever chunks they come. Not thread-safe. */
public interface BodySplitter {
    /** The next bytes of the body (position to limit); {@code bytes}' position and content are left untouched. */
    void feed(ByteBuffer bytes);

    /** The body ended; a document it ended inside is ended too (incomplete). */
    void end();
}
