package dev.nullspend.agent.facade;

import dev.nullspend.agent.api.PlainJson;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionUpdate;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's answers (docs/nullspend-api-contract.md#endpoints, #budget-record, #budget-status, #human-in-the-loop-actions) as the facade's records. Like the
 * reference SDK it unwraps tolerantly ({@code data} when present, else the body) and refuses an
 * answer that is not a JSON object or lacks a required field ({@link MalformedAnswer}).
 */
final class ApiAnswers {

    private ApiAnswers() {
    }

    /** An answer the facade cannot turn into its record. */
    static final class MalformedAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }

    /** {@code {"entities":[…]}}. */
    static List<BudgetStatus> budgetStatus(byte[] body) throws IOException {
        List<BudgetStatus> out = new ArrayList<>();
        for (Map<String, Object> e : objects(object(body), "entities")) {
            out.add(new BudgetStatus(string(e, "entityType", true), string(e, "entityId", true),
                    money(e, "limitMicrodollars", true), money(e, "spendMicrodollars", true),
                    money(e, "remainingMicrodollars", true), string(e, "policy", true),
                    string(e, "resetInterval", false), string(e, "currentPeriodStart", false),
                    integers(e, "thresholdPercentages"), optionalMoney(e, "velocityLimitMicrodollars"),
                    optionalInt(e, "velocityWindowSeconds"), optionalInt(e, "velocityCooldownSeconds"),
                    optionalMoney(e, "sessionLimitMicrodollars"), money(e, "finalizationReserveMicrodollars", false)));
        }
        return List.copyOf(out);
    }

    /** {@code {"data":[…]}}. */
    static List<Budget> budgets(byte[] body) throws IOException {
        List<Budget> out = new ArrayList<>();
        for (Map<String, Object> b : objects(object(body), "data")) {
            out.add(new Budget(string(b, "id", true), string(b, "entityType", true), string(b, "entityId", true),
                    money(b, "maxBudgetMicrodollars", true), money(b, "spendMicrodollars", true),
                    string(b, "policy", true), string(b, "resetInterval", false),
                    string(b, "currentPeriodStart", false), integers(b, "thresholdPercentages"),
                    optionalMoney(b, "velocityLimitMicrodollars"), optionalInt(b, "velocityWindowSeconds"),
                    optionalInt(b, "velocityCooldownSeconds"), optionalMoney(b, "sessionLimitMicrodollars"),
                    money(b, "finalizationReserveMicrodollars", false), optionalInt(b, "loopMaxCalls"),
                    optionalInt(b, "loopWindowSeconds"), optionalInt(b, "loopAggregateMaxKeys"),
                    string(b, "createdAt", false), string(b, "updatedAt", false)));
        }
        return List.copyOf(out);
    }

    /** {@code {"data":{daily, models, …, totals:{totalCostMicrodollars, totalRequests, period}}}}. */
    static CostSummary costSummary(byte[] body, String period) throws IOException {
        Map<String, Object> data = unwrap(object(body));
        if (!(data.get("totals") instanceof Map<?, ?> totalsValue)) {
            throw new MalformedAnswer("missing field totals");
        }
        Map<String, Object> totals = asObject(totalsValue);
        Map<String, Object> breakdowns = new LinkedHashMap<>(data);
        breakdowns.remove("totals");
        String sent = string(totals, "period", false);
        return new CostSummary(sent != null ? sent : period, money(totals, "totalCostMicrodollars", true),
                money(totals, "totalRequests", true), Collections.unmodifiableMap(breakdowns));
    }

    /** {@code {"data":{"id","status","expiresAt"}}}. */
    static ActionCreated actionCreated(byte[] body) throws IOException {
        Map<String, Object> a = unwrap(object(body));
        return new ActionCreated(string(a, "id", true), string(a, "status", true), string(a, "expiresAt", false));
    }

    /** {@code {"data":ActionRecord}}. */
    static Action action(byte[] body) throws IOException {
        Map<String, Object> a = unwrap(object(body));
        return new Action(string(a, "id", true), string(a, "agentId", false), string(a, "actionType", false),
                string(a, "status", true), optionalObject(a, "payload"), optionalObject(a, "metadata"),
                string(a, "createdAt", false), string(a, "approvedAt", false), string(a, "rejectedAt", false),
                string(a, "executedAt", false), string(a, "expiresAt", false), string(a, "expiredAt", false),
                string(a, "approvedBy", false), string(a, "rejectedBy", false), optionalObject(a, "result"),
                string(a, "errorMessage", false), string(a, "environment", false),
                string(a, "sourceFramework", false));
    }

    /** {@code {"data":{id,status,approvedAt?,rejectedAt?,executedAt?,budgetIncrease?}}}; id and status default to the request's. */
    static ActionUpdate actionUpdate(byte[] body, String id, String status) throws IOException {
        Map<String, Object> a = unwrap(object(body));
        String sentId = string(a, "id", false);
        String sentStatus = string(a, "status", false);
        return new ActionUpdate(sentId != null ? sentId : id, sentStatus != null ? sentStatus : status,
                string(a, "approvedAt", false), string(a, "rejectedAt", false), string(a, "executedAt", false),
                optionalObject(a, "budgetIncrease"));
    }

    // ---- fields ----

    private static Map<String, Object> object(byte[] body) throws IOException {
        Object value;
        try {
            value = PlainJson.read(body);
        } catch (IOException e) {
            throw new MalformedAnswer("not JSON (" + e.getMessage() + ")");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedAnswer("not a JSON object");
        }
        return asObject(map);
    }

    private static Map<String, Object> unwrap(Map<String, Object> body) throws IOException {
        Object data = body.get("data");
        return data instanceof Map<?, ?> inner ? asObject(inner) : body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Map<?, ?> map) {
        return (Map<String, Object>) map; // PlainJson makes only String keys
    }

    private static List<Map<String, Object>> objects(Map<String, Object> body, String field) throws IOException {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new MalformedAnswer(field + " is not an array");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new MalformedAnswer(field + " holds something other than objects");
            }
            out.add(asObject(map));
        }
        return out;
    }

    private static String string(Map<String, Object> o, String field, boolean required) throws IOException {
        Object value = o.get(field);
        if (value == null) {
            if (required) {
                throw new MalformedAnswer("missing field " + field);
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new MalformedAnswer(field + " is not a string");
        }
        return s;
    }

    /** An integer amount; absent and not required → 0. */
    private static long money(Map<String, Object> o, String field, boolean required) throws IOException {
        Long value = optionalMoney(o, field);
        if (value == null && required) {
            throw new MalformedAnswer("missing field " + field);
        }
        return value == null ? 0 : value;
    }

    private static Long optionalMoney(Map<String, Object> o, String field) throws IOException {
        Object value = o.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        // A sum the server computed in floating point (1.5e6): whole microdollars, half-up.
        if (value instanceof Double d && Double.isFinite(d) && Math.abs(d) < 0x1p63) {
            return Math.round(d);
        }
        throw new MalformedAnswer(field + " is not an integer: " + value);
    }

    private static Integer optionalInt(Map<String, Object> o, String field) throws IOException {
        Long value = optionalMoney(o, field);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new MalformedAnswer(field + " is out of range: " + value);
        }
        return value.intValue();
    }

    private static List<Integer> integers(Map<String, Object> o, String field) throws IOException {
        Object value = o.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new MalformedAnswer(field + " is not an array");
        }
        List<Integer> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new MalformedAnswer(field + " holds something other than integers");
            }
            out.add(l.intValue());
        }
        return out;
    }

    private static Map<String, Object> optionalObject(Map<String, Object> o, String field) throws IOException {
        Object value = o.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedAnswer(field + " is not an object");
        }
        return asObject(map);
    }
}
