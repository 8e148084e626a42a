package dev.nullspend.it.fake;

import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints behind the agent-api's {@code NullSpend} facade, for {@link FakeNullSpendApi}
 * (which checks the key, headers and rate limit first, and replays answers by {@code Idempotency-Key}):
 * <ul>
 *   <li>{@code GET /api/budgets} {@code {"data":[…]}}, from the records a test sets (the budget
 *       status entities are served by {@link FakePolicyEndpoints}, with the policy);</li>
 *   <li>{@code GET /api/cost-events/summary?period=7d|30d|90d} {@code {"data":{…,"totals":{…}}}}, the summary
 *       a test set for that period (zero totals and no breakdowns otherwise); another period → 400;</li>
 *   <li>{@code POST /api/actions}, {@code GET /api/actions/{id}}, {@code POST /api/actions/{id}/result}
 *       with the rules of docs/nullspend-api-contract.md#human-in-the-loop-actions: {@code actionType} one of the eight, {@code agentId}
 *       1–255 characters, {@code payload} an object of at most 64 KB, {@code metadata} at most 16 KB,
 *       nesting at most 20, {@code expiresInSeconds} absent → 3600, null → never, 0–2,592,000 with
 *       values above 7 days capped at 7 days; the state machine (approve, reject and expire are the
 *       test's controls; a pending action past its {@code expiresAt} is expired when next read), 409
 *       {@code invalid_action_transition} or {@code action_expired} for a step it does not allow; a
 *       result's {@code errorMessage} at most 4,000 characters, required for {@code failed},
 *       {@code result} refused with {@code executing}, {@code errorMessage} with {@code executing}
 *       and {@code executed}.</li>
 * </ul>
 * A {@code budget_increase} action is accepted as for a Pro account; approving it does not change
 * the budgets a test set.
 */
final class FakeFacadeRoutes {
    static final Set<String> ACTION_TYPES = Set.of("send_email", "http_post", "http_delete", "shell_command",
            "db_write", "file_write", "file_delete", "budget_increase");
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    static final int MAX_METADATA_BYTES = 16 * 1024;
    static final int MAX_NESTING = 20;
    static final int MAX_ERROR_MESSAGE = 4000;
    static final long DEFAULT_EXPIRY_SECONDS = 3600;
    static final long MAX_EXPIRY_SECONDS = 2_592_000;
    static final long EXPIRY_CAP_SECONDS = 604_800;

    private static final Pattern ACTION = Pattern.compile("/api/actions/([a-zA-Z0-9_\\-.:]+)");
    private static final Pattern ACTION_RESULT = Pattern.compile("/api/actions/([a-zA-Z0-9_\\-.:]+)/result");
    private static final Set<String> PERIODS = Set.of("7d", "30d", "90d");

    private final Supplier<Instant> clock;
    private List<Budget> budgets = List.of();
    private final Map<String, CostSummary> summaries = new LinkedHashMap<>();
    /** Actions by id, each the wire's ActionRecord. */
    private final Map<String, Map<String, Object>> actions = new LinkedHashMap<>();

    FakeFacadeRoutes(Supplier<Instant> clock) {
        this.clock = clock;
    }

    // ---- what a test sets and does (the caller holds the fake's lock) ----

    /** The {@code GET /api/budgets/status} body for these entities; {@link FakePolicyEndpoints} serves it. */
    static String budgetStatusBody(List<BudgetStatus> entities) {
        return MiniJson.write(Map.of("entities", entities.stream().map(FakeFacadeRoutes::statusJson).toList()));
    }

    void budgets(List<Budget> records) {
        budgets = List.copyOf(records);
    }

    void costSummary(CostSummary summary) {
        summaries.put(summary.period(), summary);
    }

    /** The action as the API would answer it now, or null when there is none with this id. */
    Map<String, Object> action(String id) {
        Map<String, Object> a = actions.get(id);
        if (a == null) {
            return null;
        }
        expireIfDue(a);
        return Collections.unmodifiableMap(new LinkedHashMap<>(a)); // fields may be null: not Map.copyOf
    }

    List<String> actionIds() {
        return List.copyOf(actions.keySet());
    }

    /** A person's decision in the dashboard: {@code approved} or {@code rejected}; or the expiry job: {@code expired}. */
    void decide(String id, String status) {
        Map<String, Object> a = actions.get(id);
        if (a == null) {
            throw new IllegalArgumentException("no action " + id);
        }
        expireIfDue(a);
        if (!"pending".equals(a.get("status"))) {
            throw new IllegalStateException("action " + id + " is " + a.get("status") + ", not pending");
        }
        String now = clock.get().toString();
        a.put("status", status);
        switch (status) {
            case "approved" -> {
                a.put("approvedAt", now);
                a.put("approvedBy", "user_fake_dashboard");
            }
            case "rejected" -> {
                a.put("rejectedAt", now);
                a.put("rejectedBy", "user_fake_dashboard");
            }
            case "expired" -> a.put("expiredAt", now);
            default -> throw new IllegalArgumentException("a decision is approved, rejected or expired: " + status);
        }
    }

    // ---- serving ----

    /** The answer for one of these routes, or null when the request is for another route. */
    FakeNullSpendApi.Answer route(String method, String path, String query, String contentType, byte[] body) {
        if (method.equals("GET") && path.equals("/api/budgets")) {
            return ok(200, Map.of("data", budgets.stream().map(FakeFacadeRoutes::budgetJson).toList()));
        }
        if (method.equals("GET") && path.equals("/api/cost-events/summary")) {
            return summary(query);
        }
        if (method.equals("POST") && path.equals("/api/actions")) {
            Object request = jsonBody(contentType, body);
            return request instanceof FakeNullSpendApi.Answer refused ? refused : create(request);
        }
        Matcher m = ACTION.matcher(path);
        if (method.equals("GET") && m.matches()) {
            Map<String, Object> a = action(m.group(1));
            return a == null ? notFound(m.group(1)) : ok(200, Map.of("data", a));
        }
        m = ACTION_RESULT.matcher(path);
        if (method.equals("POST") && m.matches()) {
            Object request = jsonBody(contentType, body);
            return request instanceof FakeNullSpendApi.Answer refused ? refused : markResult(m.group(1), request);
        }
        return null;
    }

    private FakeNullSpendApi.Answer summary(String query) {
        String period = query == null ? "30d" : query.startsWith("period=") ? query.substring(7) : "";
        if (!PERIODS.contains(period)) {
            return invalid("period: expected 7d, 30d or 90d");
        }
        CostSummary s = summaries.getOrDefault(period, new CostSummary(period, 0, 0, Map.of()));
        Map<String, Object> data = new LinkedHashMap<>(s.breakdowns());
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("totalCostMicrodollars", s.totalCostMicrodollars());
        totals.put("totalRequests", s.totalRequests());
        totals.put("period", period);
        data.put("totals", totals);
        return ok(200, Map.of("data", data));
    }

    private FakeNullSpendApi.Answer create(Object request) {
        if (!(request instanceof Map<?, ?> r)) {
            return invalid("expected an object");
        }
        if (!(r.get("agentId") instanceof String agent) || agent.isEmpty() || agent.length() > 255) {
            return invalid("agentId: expected a string of 1 to 255 characters");
        }
        if (!ACTION_TYPES.contains(r.get("actionType"))) {
            return invalid("actionType: expected one of " + String.join(", ", ACTION_TYPES.stream().sorted().toList()));
        }
        if (!(r.get("payload") instanceof Map<?, ?> payload)) {
            return invalid("payload: expected an object");
        }
        String problem = sizeAndNesting("payload", payload, MAX_PAYLOAD_BYTES);
        Object metadata = r.get("metadata");
        if (problem == null && metadata != null) {
            problem = metadata instanceof Map<?, ?> m ? sizeAndNesting("metadata", m, MAX_METADATA_BYTES)
                    : "metadata: expected an object";
        }
        if (problem != null) {
            return invalid(problem);
        }
        Instant now = clock.get();
        Instant expiresAt;
        if (!r.containsKey("expiresInSeconds")) {
            expiresAt = now.plusSeconds(DEFAULT_EXPIRY_SECONDS);
        } else if (r.get("expiresInSeconds") == null) {
            expiresAt = null;
        } else if (r.get("expiresInSeconds") instanceof BigDecimal n && n.stripTrailingZeros().scale() <= 0
                && n.signum() >= 0 && n.compareTo(BigDecimal.valueOf(MAX_EXPIRY_SECONDS)) <= 0) {
            expiresAt = now.plusSeconds(Math.min(n.longValue(), EXPIRY_CAP_SECONDS));
        } else {
            return invalid("expiresInSeconds: expected an integer from 0 to " + MAX_EXPIRY_SECONDS + " or null");
        }
        String id = "ns_act_" + UUID.randomUUID();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("agentId", agent);
        a.put("actionType", r.get("actionType"));
        a.put("status", "pending");
        a.put("payload", payload);
        a.put("metadata", metadata);
        a.put("createdAt", now.toString());
        for (String field : List.of("approvedAt", "rejectedAt", "executedAt")) {
            a.put(field, null);
        }
        a.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        for (String field : List.of("expiredAt", "approvedBy", "rejectedBy", "result", "errorMessage")) {
            a.put(field, null);
        }
        a.put("environment", "production");
        a.put("sourceFramework", null);
        actions.put(id, a);
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("id", id);
        created.put("status", "pending");
        created.put("expiresAt", a.get("expiresAt"));
        return ok(201, Map.of("data", created));
    }

    private FakeNullSpendApi.Answer markResult(String id, Object request) {
        Map<String, Object> a = actions.get(id);
        if (a == null) {
            return notFound(id);
        }
        if (!(request instanceof Map<?, ?> r)) {
            return invalid("expected an object");
        }
        Object status = r.get("status");
        if (!"executing".equals(status) && !"executed".equals(status) && !"failed".equals(status)) {
            return invalid("status: expected executing, executed or failed");
        }
        Object result = r.get("result");
        Object error = r.get("errorMessage");
        if (result != null && (!(result instanceof Map<?, ?>) || status.equals("executing"))) {
            return invalid(status.equals("executing") ? "result: not allowed with status executing"
                    : "result: expected an object");
        }
        if (error != null && (!(error instanceof String e) || e.length() > MAX_ERROR_MESSAGE)) {
            return invalid("errorMessage: expected a string of at most " + MAX_ERROR_MESSAGE + " characters");
        }
        if (error != null && !status.equals("failed")) {
            return invalid("errorMessage: only allowed with status failed");
        }
        if (error == null && status.equals("failed")) {
            return invalid("errorMessage: required with status failed");
        }
        expireIfDue(a);
        Object from = a.get("status");
        if ("expired".equals(from)) {
            return FakeNullSpendApi.errorAnswer(409, "action_expired", "Action " + id + " has expired.");
        }
        boolean allowed = status.equals("executing") ? "approved".equals(from) : "executing".equals(from);
        if (!allowed) {
            return FakeNullSpendApi.errorAnswer(409, "invalid_action_transition",
                    "Cannot transition action from " + from + " to " + status + ".");
        }
        a.put("status", status);
        if (!status.equals("executing")) {
            a.put("executedAt", clock.get().toString());
            a.put("result", result);
            a.put("errorMessage", error);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("status", status);
        for (String field : List.of("approvedAt", "rejectedAt", "executedAt")) {
            if (a.get(field) != null) {
                data.put(field, a.get(field));
            }
        }
        return ok(200, Map.of("data", data));
    }

    private void expireIfDue(Map<String, Object> a) {
        if ("pending".equals(a.get("status")) && a.get("expiresAt") instanceof String at
                && !clock.get().isBefore(Instant.parse(at))) {
            a.put("status", "expired");
            a.put("expiredAt", clock.get().toString());
        }
    }

    // ---- JSON ----

    /** The parsed body, or the answer that refuses it (415, 413, 400). */
    private static Object jsonBody(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return FakeNullSpendApi.errorAnswer(415, "unsupported_media_type", "Content-Type must be application/json.");
        }
        if (body == null) {
            return FakeNullSpendApi.errorAnswer(413, "payload_too_large", "Request body exceeds 1 MB.");
        }
        try {
            return MiniJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return invalid("Invalid JSON body: " + e.getMessage());
        }
    }

    private static String sizeAndNesting(String field, Map<?, ?> value, int maxBytes) {
        int bytes = MiniJson.write(value).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            return field + ": must be at most " + maxBytes + " bytes as JSON, got " + bytes;
        }
        return depth(value) > MAX_NESTING ? field + ": nested deeper than " + MAX_NESTING + " levels" : null;
    }

    private static int depth(Object value) {
        int inner = 0;
        if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                inner = Math.max(inner, depth(v));
            }
            return inner + 1;
        }
        if (value instanceof List<?> l) {
            for (Object v : l) {
                inner = Math.max(inner, depth(v));
            }
            return inner + 1;
        }
        return 0;
    }

    private static Map<String, Object> statusJson(BudgetStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entityType", s.entityType());
        m.put("entityId", s.entityId());
        m.put("limitMicrodollars", s.limitMicrodollars());
        m.put("spendMicrodollars", s.spendMicrodollars());
        m.put("remainingMicrodollars", s.remainingMicrodollars());
        m.put("policy", s.policy());
        m.put("resetInterval", s.resetInterval());
        m.put("currentPeriodStart", s.currentPeriodStart());
        m.put("thresholdPercentages", s.thresholdPercentages());
        m.put("velocityLimitMicrodollars", s.velocityLimitMicrodollars());
        m.put("velocityWindowSeconds", s.velocityWindowSeconds());
        m.put("velocityCooldownSeconds", s.velocityCooldownSeconds());
        m.put("sessionLimitMicrodollars", s.sessionLimitMicrodollars());
        m.put("finalizationReserveMicrodollars", s.finalizationReserveMicrodollars());
        return m;
    }

    private static Map<String, Object> budgetJson(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("entityType", b.entityType());
        m.put("entityId", b.entityId());
        m.put("maxBudgetMicrodollars", b.maxBudgetMicrodollars());
        m.put("spendMicrodollars", b.spendMicrodollars());
        m.put("policy", b.policy());
        m.put("resetInterval", b.resetInterval());
        m.put("currentPeriodStart", b.currentPeriodStart());
        m.put("thresholdPercentages", b.thresholdPercentages());
        m.put("velocityLimitMicrodollars", b.velocityLimitMicrodollars());
        m.put("velocityWindowSeconds", b.velocityWindowSeconds());
        m.put("velocityCooldownSeconds", b.velocityCooldownSeconds());
        m.put("sessionLimitMicrodollars", b.sessionLimitMicrodollars());
        m.put("finalizationReserveMicrodollars", b.finalizationReserveMicrodollars());
        m.put("loopMaxCalls", b.loopMaxCalls());
        m.put("loopWindowSeconds", b.loopWindowSeconds());
        m.put("loopAggregateMaxKeys", b.loopAggregateMaxKeys());
        m.put("createdAt", b.createdAt());
        m.put("updatedAt", b.updatedAt());
        return m;
    }

    private static FakeNullSpendApi.Answer ok(int status, Map<String, Object> body) {
        return new FakeNullSpendApi.Answer(status, MiniJson.write(body).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static FakeNullSpendApi.Answer invalid(String message) {
        return FakeNullSpendApi.errorAnswer(400, "validation_error", message);
    }

    private static FakeNullSpendApi.Answer notFound(String id) {
        return FakeNullSpendApi.errorAnswer(404, "not_found", "Action " + id + " not found.");
    }
}
