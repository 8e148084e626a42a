package dev.nullspend.agent.provider.framing;

/**
 * Receives the documents a {@link StreamFraming} cuts a body into: small ones whole, large ones
 * (past the framing's bound, or framings that never hold a document) in pieces.
 */
public interface Documents extends DocumentPieces {
    /** One whole document; {@code buf} is only valid during the call and must not be modified. */
    void whole(String eventName, byte[] buf, int off, int len);
}
