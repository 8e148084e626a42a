package dev.nullspend.api;

/**
 * The answer to {@code POST /api/actions}.
 *
 * @param id        {@code ns_act_…}
 * @param status    {@code pending}
 * @param expiresAt ISO-8601; {@code null} for an action that never expires
 */
public record ActionCreated(String id, String status, String expiresAt) {
}
