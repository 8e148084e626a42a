package dev.nullspend.it.fake;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The parts of an OpenAI chat completion request that decide the fake provider's answer.
 *
 * @param model         the request's {@code model}
 * @param stream        {@code "stream": true}
 * @param includeUsage  {@code "stream_options": {"include_usage": true}}
 */
record ChatRequest(String model, boolean stream, boolean includeUsage) {

    /** Reads a request body; null when it is not a JSON object with a string {@code model} and a {@code messages} array. */
    static ChatRequest parse(byte[] body) {
        Object root;
        try {
            root = MiniJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notJson) {
            return null;
        }
        if (!(MiniJson.path(root, "model") instanceof String model) || !(MiniJson.path(root, "messages") instanceof List)) {
            return null;
        }
        boolean stream = Boolean.TRUE.equals(MiniJson.path(root, "stream"));
        boolean includeUsage = Boolean.TRUE.equals(MiniJson.path(root, "stream_options", "include_usage"));
        return new ChatRequest(model, stream, includeUsage);
    }
}
