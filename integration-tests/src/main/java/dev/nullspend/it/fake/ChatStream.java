package dev.nullspend.it.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data:} documents of an OpenAI-style chat stream being assembled, and where a
 * {@code truncated} answer cuts it: after the content chunks, before the chunks that end the stream.
 */
final class ChatStream {

    private final List<byte[]> parts = new ArrayList<>();
    private int contentEnd = -1;

    /** Adds a {@code data: json} event. */
    ChatStream data(String json) {
        parts.add(ProviderRoutes.sse(null, json));
        return this;
    }

    /** Adds a raw part (an SSE comment, say). */
    ChatStream raw(String text) {
        parts.add(ProviderRoute.utf8(text));
        return this;
    }

    /** Marks the end of the content chunks: a {@code truncated} answer stops here. */
    ChatStream contentEnds() {
        contentEnd = parts.size();
        return this;
    }

    /** Adds {@code data: [DONE]}, the last part. */
    ChatStream done() {
        return data("[DONE]");
    }

    List<byte[]> parts() {
        return parts;
    }

    int partsBeforeCut() {
        if (contentEnd < 0) {
            throw new IllegalStateException("contentEnds() was not called");
        }
        return contentEnd;
    }
}
