package dev.nullspend.it.fake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One LLM API the fake provider serves besides OpenAI's own chat completions, in its vendor's exact
 * response shapes (docs/providers/). {@link ProviderRoutes} asks each route in turn; the first that
 * {@link #serves} a POST answers it.
 */
interface ProviderRoute {

    /** True when this route answers a POST to {@code options.apiPath()} with these options. */
    boolean serves(RouteOptions options);

    /**
     * Answers a POST in scenario {@link Scenario#OK} or {@link Scenario#TRUNCATED} (the other scenarios are
     * answered for it, or refused, by {@link ProviderRoutes}).
     *
     * @param rawQuery the request's raw query, or null
     */
    void answer(Reply reply, RouteOptions options, String rawQuery, byte[] body) throws IOException;

    /** The vendor's error body; OpenAI's shape unless the vendor has its own. */
    default byte[] error(int status, String message) {
        return ChatResponses.error(message, status >= 500 ? "server_error" : "invalid_request_error");
    }

    /** The UTF-8 bytes of {@code text}. */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
