package dev.nullspend.agent.exchange;

import java.nio.ByteBuffer;

/**
 * Changes what the program reads of a response body, for a call whose request the agent
 * rewrote (see {@link RequestRewrite}): the bytes the agent caused, and only those, are taken
 * out. The usage parser still sees every byte, through the {@link ResponseSink}, before the
 * filter. A filter holds back at most one bounded piece of the body (the part of an SSE event
 * not yet decided); everything else passes as it comes. Calls come serially; never throws.
 */
public interface ResponseFilter {
    /**
     * The bytes the program gets now for {@code bytes} (consumed): possibly none yet, possibly
     * including bytes held back from earlier calls. Never {@code null}.
     */
    ByteBuffer filter(ByteBuffer bytes);

    /** The body ended: the bytes still held back (usually none). Never {@code null}. */
    ByteBuffer finish();
}
