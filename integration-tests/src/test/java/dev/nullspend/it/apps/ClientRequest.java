package dev.nullspend.it.apps;

import java.util.Map;

/**
 * One request of {@link ClientApp}, ready for a {@link ClientDriver}.
 *
 * @param body        null for a GET
 * @param contentType of the body; null for a GET
 * @param headers     the program's own headers
 * @param options     every {@code key=value} of the call, for a driver's own choices ({@code build=} …)
 */
public record ClientRequest(String url, byte[] body, String contentType, Map<String, String> headers,
                            Map<String, String> options) {

    static final String AUTHORIZATION = "Bearer sk-test-not-a-real-key";

    String method() {
        return body == null ? "GET" : "POST";
    }

    /** A driver's own option, or {@code fallback}. */
    String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }
}
