package dev.nullspend.agent.provider;

import java.nio.ByteBuffer;

/**
 * Extracts usage from one response body as it streams past, without ever holding the whole body.
 * Not thread-safe: the caller feeds it serially (possibly from different threads, one at a time).
 * Implementations may throw on a bug; the caller catches, logs once and stops feeding.
 */
public interface UsageParser {
    /** Feeds the next bytes of the (already decoded) body; must not change {@code bytes}' content. */
    void feed(ByteBuffer bytes);

    /** The body ended (end of stream, or the reader stopped early). */
    void end();

    /** Usage seen so far (the last complete usage wins), or {@code null} when none was seen. */
    Usage usage();

    /** The model the provider reported in the response, or {@code null}. */
    String responseModel();

    /**
     * False when {@link #usage()}'s output count is not the provider's count but a placeholder,
     * because the body ended before the part that carries it (an Anthropic stream cut after
     * {@code message_start}, before its {@code message_delta}); its input counts are exact all the
     * same. The caller then bills the estimated output. True for formats that report usage whole.
     */
    default boolean outputCounted() {
        return true;
    }

    /**
     * True when the format leaves out an output count of zero (Gemini writes no
     * {@code candidatesTokenCount} for a reply with no tokens), so that a usage without one is final
     * when the body ended normally, and a placeholder only when the body was cut short.
     */
    default boolean omitsZeroOutput() {
        return false;
    }
}
