package dev.nullspend.api;

import java.util.Map;

/**
 * A human-in-the-loop action ({@code GET /api/actions/{id}}). Timestamps are ISO-8601 strings,
 * {@code null} until the step happened; {@code payload}, {@code metadata} and {@code result} are
 * plain JSON values ({@code Map}, {@code List}, {@code String}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code null}; unmodifiable).
 *
 * <pre>
 * pending ──approve──▶ approved ──▶ executing ──▶ executed
 *    │                                  └──────▶ failed
 *    ├──reject──▶ rejected
 *    └──timeout─▶ expired
 * </pre>
 *
 * @param id         {@code ns_act_…}
 * @param actionType {@code send_email}, {@code http_post}, {@code http_delete}, {@code shell_command},
 *                   {@code db_write}, {@code file_write}, {@code file_delete} or {@code budget_increase}
 * @param status     {@code pending}, {@code approved}, {@code rejected}, {@code expired},
 *                   {@code executing}, {@code executed} or {@code failed}
 */
public record Action(String id, String agentId, String actionType, String status, Map<String, Object> payload,
                     Map<String, Object> metadata, String createdAt, String approvedAt, String rejectedAt,
                     String executedAt, String expiresAt, String expiredAt, String approvedBy, String rejectedBy,
                     Map<String, Object> result, String errorMessage, String environment, String sourceFramework) {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String EXPIRED = "expired";
    public static final String EXECUTING = "executing";
    public static final String EXECUTED = "executed";
    public static final String FAILED = "failed";

    /** True while nobody has approved or rejected it and it has not expired. */
    public boolean isPending() {
        return PENDING.equals(status);
    }

    /** True in {@code rejected}, {@code expired}, {@code executed} and {@code failed}: nothing can change it any more. */
    public boolean isTerminal() {
        return REJECTED.equals(status) || EXPIRED.equals(status) || EXECUTED.equals(status) || FAILED.equals(status);
    }
}
