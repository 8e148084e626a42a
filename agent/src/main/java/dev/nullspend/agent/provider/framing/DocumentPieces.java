package dev.nullspend.agent.provider.framing;

/**
 * Receives one document of a stream in pieces as it passes, never held whole: {@code begin},
 * {@code part}s, then {@code end} at the document's end or when the body ends inside it.
 * {@code buf} is only valid during the call and must not be modified.
 */
public interface DocumentPieces {
    /** @param eventName the document's event name where the framing has one (SSE {@code event:}), else null */
    void begin(String eventName);

    void part(byte[] buf, int off, int len);

    void end();
}
