package dev.nullspend.agent.api;

import java.nio.charset.StandardCharsets;

/**
 * A successful (2xx) answer of the API.
 *
 * @param replayed true when the server answered from its idempotency cache ({@code X-Idempotent-Replayed: true})
 * @param attempts HTTP attempts it took (1 + retries)
 */
public record ApiResponse(int status, byte[] body, boolean replayed, int attempts) {

    /** {@code inserted} of a {@code POST /api/cost-events/batch} answer: events that were new; -1 when absent. */
    public int insertedCount() {
        return ApiJson.inserted(body);
    }

    /** The body as UTF-8 text (JSON). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
