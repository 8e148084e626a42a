package dev.nullspend.it.fake;

import java.util.Locale;

/**
 * How the fake provider answers a chat completion, selected by the {@code /s/<name>} path segment.
 *
 * <p>Whether the answer is a JSON document or an SSE stream always follows the request's
 * {@code "stream"} flag, as with OpenAI; a scenario only changes what is sent.
 */
public enum Scenario {
    /** Behaves as OpenAI: usage in the JSON body, or a final usage chunk when the stream request asks for it. */
    OK("ok"),
    /** Never reports usage: no {@code usage} in the JSON body, no usage chunk even when asked for. */
    NO_USAGE("no-usage"),
    /** As {@link #OK} but the body is gzip-compressed ({@code Content-Encoding: gzip}); streams are flushed per event. */
    GZIP("gzip"),
    /** Status 200, {@code application/json}, and a body that is not JSON ({@link FakeProviderServer#MALFORMED_BODY}). */
    MALFORMED("malformed"),
    /** Status 500 with OpenAI's error object. */
    HTTP_500("http500"),
    /** Sends the first half of the response bytes, then drops the connection. */
    TRUNCATED("truncated"),
    /**
     * Sends the first part (the first SSE event, or the first half of a JSON body), then waits until
     * {@code GET /control/release} or {@link FakeProviderServer#GATE_TIMEOUT} passes, then sends the rest.
     */
    GATED("gated");

    private final String pathName;

    Scenario(String pathName) {
        this.pathName = pathName;
    }

    /** The name used in the {@code /s/<name>} path segment. */
    public String pathName() {
        return pathName;
    }

    static Scenario fromPathName(String name) {
        for (Scenario s : values()) {
            if (s.pathName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario: " + name);
    }
}
