package dev.nullspend.agent.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nullspend.agent.api.PlainJson;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the answers of {@code GET /api/policy} (snake_case, docs/nullspend-api-contract.md#policy) and
 * {@code GET /api/budgets/status} (camelCase, docs/nullspend-api-contract.md#budget-status) to a {@link RemotePolicy}.
 *
 * <ul>
 *   <li>Both answers may come wrapped in {@code {"data": …}} (the reference SDK unwraps tolerantly).</li>
 *   <li>Policy: a missing or null {@code budget} means no budget (unlimited); its
 *       {@code finalization_reserve_microdollars} and {@code policy}, not sent by the server yet,
 *       default to 0 and {@code strict_block}; {@code max} or {@code spend} may be derived from the
 *       other and {@code remaining_microdollars}. {@code allowed_models}/{@code allowed_providers}
 *       null mean unrestricted; {@code cheapest_*} and {@code restrictions_active} are informational.</li>
 *   <li>Status entities: a budget with {@code limitMicrodollars}, its spend, policy (null:
 *       {@code strict_block}), period ({@code resetInterval} from {@code currentPeriodStart}),
 *       thresholds, breaker ({@code velocity*}, windows default 60 s) and session cap. An entity of the
 *       same {@code type/id} as the policy's budget replaces it (it says more about it).</li>
 * </ul>
 * An answer that is not JSON of that shape, or a budget without its amounts, is a
 * {@link PolicyFormatException}: the refresh fails. One entity the agent cannot use (an entity
 * type or policy it does not know, a tag id without {@code =}) is left out, with a warning once.
 */
public final class RemotePolicyJson {
    private static final int DEFAULT_VELOCITY_SECONDS = 60;

    private RemotePolicyJson() {
    }

    /**
     * @param policy       the body of {@code GET /api/policy}
     * @param budgetStatus the body of {@code GET /api/budgets/status}, or {@code null} when it is not available
     */
    public static RemotePolicy parse(byte[] policy, byte[] budgetStatus) throws PolicyFormatException {
        Map<String, Object> p = unwrap(read(policy, "GET /api/policy"), "GET /api/policy");
        Map<String, RemoteBudget> budgets = new LinkedHashMap<>();
        if (budgetStatus != null) {
            Map<String, Object> s = unwrap(read(budgetStatus, "GET /api/budgets/status"), "GET /api/budgets/status");
            if (!(s.get("entities") instanceof List<?> entities)) {
                throw new PolicyFormatException("GET /api/budgets/status: unexpected response format: no \"entities\" array");
            }
            for (int i = 0; i < entities.size(); i++) {
                String where = "GET /api/budgets/status: entities[" + i + "]";
                if (!(entities.get(i) instanceof Map<?, ?> entity)) {
                    throw new PolicyFormatException(where + ": expected an object");
                }
                RemoteBudget b = statusEntity(cast(entity), where);
                if (b != null) {
                    budgets.putIfAbsent(b.rule().name(), b);
                }
            }
        }
        Object budget = p.get("budget");
        if (budget instanceof Map<?, ?> map) {
            RemoteBudget b = policyBudget(cast(map));
            if (b != null) {
                budgets.putIfAbsent(b.rule().name(), b);
            }
        } else if (budget != null) {
            throw new PolicyFormatException("GET /api/policy: unexpected response format: \"budget\" is not an object");
        }
        return new RemotePolicy(new ArrayList<>(budgets.values()), strings(p, "allowed_models"),
                strings(p, "allowed_providers"), amount(p, "session_limit_microdollars", "GET /api/policy"));
    }

    private static RemoteBudget policyBudget(Map<String, Object> b) throws PolicyFormatException {
        String where = "GET /api/policy: budget";
        Long max = amount(b, "max_microdollars", where);
        Long spend = amount(b, "spend_microdollars", where);
        Long remaining = amount(b, "remaining_microdollars", where);
        if (max == null && spend != null && remaining != null) {
            max = spend + remaining;
        }
        spend = spendOf(max, spend, remaining, where, "max_microdollars", "spend_microdollars", "remaining_microdollars");
        Long reserve = amount(b, "finalization_reserve_microdollars", where);
        long end = instant(b, "period_end", where, Long.MAX_VALUE);
        BudgetRule rule = rule(text(b, "entity_type", where), text(b, "entity_id", where), max,
                ResetInterval.NONE, text(b, "policy", where), null, null, BudgetRule.DEFAULT_THRESHOLDS, where);
        return rule == null ? null : new RemoteBudget(rule, spend, reserve == null ? 0 : reserve, Long.MIN_VALUE, end);
    }

    /**
     * The spend a budget's answer gives, or its limit less what remains when it gives only that; an answer
     * without the limit, or with neither, is malformed (the keys name the fields in the error).
     */
    private static long spendOf(Long limit, Long spend, Long remaining, String where, String limitKey, String spendKey,
                                String remainingKey) throws PolicyFormatException {
        if (limit == null) {
            throw new PolicyFormatException(where + ": unexpected response format: no " + limitKey);
        }
        if (spend != null) {
            return spend;
        }
        if (remaining == null) {
            throw new PolicyFormatException(where + ": unexpected response format: neither " + spendKey + " nor "
                    + remainingKey);
        }
        return Math.max(0, limit - remaining);
    }

    private static RemoteBudget statusEntity(Map<String, Object> e, String where) throws PolicyFormatException {
        Long limit = amount(e, "limitMicrodollars", where);
        Long spend = amount(e, "spendMicrodollars", where);
        Long remaining = amount(e, "remainingMicrodollars", where);
        spend = spendOf(limit, spend, remaining, where, "limitMicrodollars", "spendMicrodollars", "remainingMicrodollars");
        String type = text(e, "entityType", where);
        String id = text(e, "entityId", where);
        String intervalText = text(e, "resetInterval", where);
        ResetInterval interval = interval(intervalText);
        long start = instant(e, "currentPeriodStart", where, Long.MIN_VALUE);
        // an interval the agent does not know (yearly): the period is left to the next snapshot
        long end = intervalText != null && interval == ResetInterval.NONE ? Long.MAX_VALUE : Periods.after(interval, start);
        Long velocityLimit = amount(e, "velocityLimitMicrodollars", where);
        VelocityBreaker.Settings velocity = velocityLimit == null || velocityLimit < 1 ? null
                : new VelocityBreaker.Settings(velocityLimit, seconds(e, "velocityWindowSeconds", where),
                seconds(e, "velocityCooldownSeconds", where),
                BudgetRule.remoteSetting(type + "/" + id, "velocityLimitMicrodollars"));
        Long session = amount(e, "sessionLimitMicrodollars", where);
        BudgetRule rule = rule(type, id, limit, interval, text(e, "policy", where), velocity,
                session == null || session < 1 ? null : session, thresholds(e.get("thresholdPercentages")), where);
        if (rule == null) {
            return null;
        }
        Long reserve = amount(e, "finalizationReserveMicrodollars", where);
        return new RemoteBudget(rule, spend, reserve == null ? 0 : reserve, start, end);
    }

    /** The rule of a remote budget, or {@code null} (logged once) when the agent cannot enforce it. */
    private static BudgetRule rule(String type, String id, long max, ResetInterval interval, String policyText,
                                   VelocityBreaker.Settings velocity, Long sessionLimit, List<Integer> thresholds,
                                   String where) throws PolicyFormatException {
        if (type == null || id == null) {
            throw new PolicyFormatException(where + ": unexpected response format: no entity type or id");
        }
        BudgetRule.EntityType entityType = BudgetRule.EntityType.parse(type);
        BudgetRule.Policy policy = policyText == null ? BudgetRule.Policy.STRICT_BLOCK : BudgetRule.Policy.parse(policyText);
        String problem = entityType == null ? "its entity type is not one of user, api_key, tag, customer"
                : entityType == BudgetRule.EntityType.TAG && id.indexOf('=') <= 0 ? "a tag budget's id is key=value"
                : policy == null ? "its policy \"" + policyText + "\" is not one of strict_block, soft_block, warn" : null;
        if (problem != null) {
            AgentLog.warnOnce("remote-budget:" + type + "/" + id, "the NullSpend API's budget " + type + "/" + id
                    + " is not enforced: " + problem + " (logged once)");
            return null;
        }
        return new BudgetRule(entityType, id, max, interval, policy, velocity, sessionLimit, null, null, null,
                thresholds, BudgetRule.REMOTE);
    }

    private static ResetInterval interval(String s) {
        if (s == null) {
            return ResetInterval.NONE;
        }
        return switch (s) {
            case "daily" -> ResetInterval.DAILY;
            case "weekly" -> ResetInterval.WEEKLY;
            case "monthly" -> ResetInterval.MONTHLY;
            default -> ResetInterval.NONE;
        };
    }

    /** Ascending percentages 1–100 (at most 10), else the defaults. */
    private static List<Integer> thresholds(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 10) {
            return BudgetRule.DEFAULT_THRESHOLDS;
        }
        List<Integer> out = new ArrayList<>(list.size());
        for (Object o : list) {
            Long n = PlainJson.wholeNumber(o);
            if (n == null || n < 1 || n > 100 || (!out.isEmpty() && n <= out.get(out.size() - 1))) {
                return BudgetRule.DEFAULT_THRESHOLDS;
            }
            out.add(n.intValue());
        }
        return out;
    }

    private static int seconds(Map<String, Object> e, String field, String where) throws PolicyFormatException {
        Long s = amount(e, field, where);
        return s == null || s < 1 || s > 86_400 ? DEFAULT_VELOCITY_SECONDS : s.intValue();
    }

    /** A whole number ≥ 0, or {@code null} when absent or null. */
    private static Long amount(Map<String, Object> m, String field, String where) throws PolicyFormatException {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        Long n = PlainJson.wholeNumber(v);
        if (n == null || n < 0) {
            throw new PolicyFormatException(where + ": unexpected response format: " + field
                    + " must be a whole number ≥ 0, got " + v);
        }
        return n;
    }

    private static String text(Map<String, Object> m, String field, String where) throws PolicyFormatException {
        Object v = m.get(field);
        if (v != null && !(v instanceof String)) {
            throw new PolicyFormatException(where + ": unexpected response format: " + field + " must be a string");
        }
        return (String) v;
    }

    private static long instant(Map<String, Object> m, String field, String where, long absent)
            throws PolicyFormatException {
        String s = text(m, field, where);
        if (s == null) {
            return absent;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new PolicyFormatException(where + ": unexpected response format: " + field + " is not an ISO-8601"
                    + " instant: " + s);
        }
    }

    private static List<String> strings(Map<String, Object> m, String field) throws PolicyFormatException {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new PolicyFormatException("GET /api/policy: unexpected response format: " + field
                            + " must be an array of strings");
                }
                out.add(s);
            }
            return out;
        }
        throw new PolicyFormatException("GET /api/policy: unexpected response format: " + field + " must be an array or null");
    }

    /** The object itself, or its {@code data} object. */
    private static Map<String, Object> unwrap(Object root, String what) throws PolicyFormatException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new PolicyFormatException(what + ": unexpected response format: not a JSON object");
        }
        return map.get("data") instanceof Map<?, ?> data ? cast(data) : cast(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Object read(byte[] body, String what) throws PolicyFormatException {
        try {
            return PlainJson.read(body);
        } catch (JsonProcessingException e) {
            throw new PolicyFormatException(what + ": unexpected response format: invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyFormatException(what + ": unexpected response format: " + e.getMessage());
        }
    }
}
