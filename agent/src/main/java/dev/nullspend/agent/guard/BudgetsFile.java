package dev.nullspend.agent.guard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads {@code nullspend.budgets-file}: a JSON array of budget records with the field names of
 * the NullSpend API's budget record (docs/nullspend-api-contract.md#budget-record), or a saved {@code GET /api/budgets}
 * answer ({@code {"data":[…]}}). Read-only fields of that answer ({@code id},
 * {@code spendMicrodollars}, {@code currentPeriodStart}, {@code createdAt}, {@code updatedAt},
 * {@code finalizationReserveMicrodollars}) are accepted and ignored; keys starting with {@code _}
 * are comments; any other unknown field is an error (usually a typo). Every error names the file,
 * the record's index and the field.
 *
 * <p>An invalid record never costs the others: it is left out and named in
 * {@link Result#problems()}, and every valid record is read. A file that cannot be read, or whose
 * JSON breaks off, keeps the records read before the problem.
 */
final class BudgetsFile {
    /**
     * What the file gives.
     *
     * @param rules    the valid records, in file order
     * @param problems one message per invalid record (or for the file as a whole), in file order
     */
    record Result(List<BudgetRule> rules, List<String> problems) {
        Result {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FIELDS = Set.of("entityType", "entityId", "maxBudgetMicrodollars",
            "resetInterval", "policy", "velocityLimitMicrodollars", "velocityWindowSeconds", "velocityCooldownSeconds",
            "sessionLimitMicrodollars", "loopMaxCalls", "loopWindowSeconds", "loopAggregateMaxKeys",
            "thresholdPercentages");
    private static final Set<String> IGNORED = Set.of("id", "spendMicrodollars", "currentPeriodStart", "createdAt",
            "updatedAt", "finalizationReserveMicrodollars");
    private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX_ID_LENGTH = 256;
    private static final int MAX_TAG_ID_LENGTH = 321;
    private static final int MAX_THRESHOLDS = 10;
    private static final int DEFAULT_VELOCITY_SECONDS = 60;

    private final String origin;

    private BudgetsFile(String origin) {
        this.origin = origin;
    }

    static Result read(File file) {
        try (InputStream in = new FileInputStream(file)) {
            return parse(in, file.getPath());
        } catch (IOException e) {
            return new Result(List.of(), List.of(file.getPath() + ": cannot read: " + e.getMessage()));
        }
    }

    static Result parse(InputStream in, String origin) {
        return new BudgetsFile(origin).parse(in);
    }

    private Result parse(InputStream in) {
        List<BudgetRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("data")) {
                        records(p, rules, problems);
                    } else if (name.startsWith("_")) {
                        p.skipChildren();
                    } else {
                        throw fail("the top-level object", name, "unknown field (expected \"data\": [budget records])");
                    }
                }
            } else if (first == JsonToken.START_ARRAY) {
                records(p, rules, problems);
            } else {
                throw fail("the file", null, first == null ? "is empty; expected a JSON array of budget records"
                        : "expected a JSON array of budget records");
            }
            if (p.nextToken() != null) {
                throw fail("the file", null, "unexpected content after the budget records");
            }
        } catch (BudgetFileException e) {
            problems.add(e.getMessage());
        } catch (JsonProcessingException e) {
            problems.add(origin + ": invalid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            problems.add(origin + ": cannot read: " + e.getMessage());
        }
        return new Result(rules, problems);
    }

    /** The records of the array the parser is at; an invalid one is named in {@code problems} and skipped. */
    private void records(JsonParser p, List<BudgetRule> rules, List<String> problems)
            throws IOException, BudgetFileException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw fail("the file", "data", "must be a JSON array of budget records");
        }
        JsonStreamContext array = p.getParsingContext();
        Map<String, Integer> defined = new HashMap<>();
        for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
            try {
                BudgetRule rule = record(p, index);
                Integer earlier = defined.putIfAbsent(rule.name(), index);
                if (earlier != null) {
                    throw fail("record [" + index + "]", null, "budget " + rule.name()
                            + " is already defined by record [" + earlier + "]");
                }
                rules.add(rule);
            } catch (BudgetFileException e) {
                problems.add(e.getMessage());
                // on to the end of the bad record, wherever in it the problem was found
                while (p.getParsingContext() != array && p.nextToken() != null) {
                    p.skipChildren();
                }
            }
        }
    }

    private BudgetRule record(JsonParser p, int index) throws IOException, BudgetFileException {
        String where = "record [" + index + "]";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(where, null, "must be a JSON object");
        }
        String type = null;
        String id = null;
        Long max = null;
        ResetInterval reset = ResetInterval.NONE;
        BudgetRule.Policy policy = BudgetRule.Policy.STRICT_BLOCK;
        Long velocityLimit = null;
        Integer velocityWindow = null;
        Integer velocityCooldown = null;
        Long sessionLimit = null;
        Integer loopMaxCalls = null;
        Integer loopWindow = null;
        Integer loopAggregate = null;
        List<Integer> thresholds = BudgetRule.DEFAULT_THRESHOLDS;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "entityType" -> type = text(p, where, field);
                case "entityId" -> id = text(p, where, field);
                case "maxBudgetMicrodollars" -> max = number(p, where, field, 0, Long.MAX_VALUE, false);
                case "resetInterval" -> reset = resetInterval(p, where, field);
                case "policy" -> policy = policy(p, where, field);
                case "velocityLimitMicrodollars" -> velocityLimit = number(p, where, field, 1, Long.MAX_VALUE, true);
                case "velocityWindowSeconds" -> velocityWindow = seconds(p, where, field);
                case "velocityCooldownSeconds" -> velocityCooldown = seconds(p, where, field);
                case "sessionLimitMicrodollars" -> sessionLimit = number(p, where, field, 1, Long.MAX_VALUE, true);
                case "loopMaxCalls" -> loopMaxCalls = small(number(p, where, field, 0, 1_000_000, true));
                case "loopWindowSeconds" -> loopWindow = seconds(p, where, field);
                case "loopAggregateMaxKeys" -> loopAggregate = small(number(p, where, field, 0, 10_000, true));
                case "thresholdPercentages" -> thresholds = thresholds(p, where, field);
                default -> {
                    if (!field.startsWith("_") && !IGNORED.contains(field)) {
                        Set<String> allowed = new TreeSet<>(FIELDS);
                        allowed.addAll(IGNORED);
                        throw fail(where, field, "unknown field (allowed: " + String.join(", ", allowed) + ")");
                    }
                    p.skipChildren();
                }
            }
        }
        BudgetRule.EntityType entityType = entityType(type, where);
        entityId(entityType, id, where);
        where = where + " (" + entityType.wire + "/" + id + ")";
        if (max == null) {
            throw fail(where, "maxBudgetMicrodollars", "missing");
        }
        String ruleOrigin = "[" + index + "] in " + origin;
        VelocityBreaker.Settings velocity = velocityLimit == null ? null : new VelocityBreaker.Settings(velocityLimit,
                velocityWindow == null ? DEFAULT_VELOCITY_SECONDS : velocityWindow,
                velocityCooldown == null ? DEFAULT_VELOCITY_SECONDS : velocityCooldown,
                "velocityLimitMicrodollars of budget " + ruleOrigin);
        return new BudgetRule(entityType, id, max, reset, policy, velocity, sessionLimit, loopMaxCalls, loopWindow,
                loopAggregate, thresholds, ruleOrigin);
    }

    private BudgetRule.EntityType entityType(String type, String where) throws BudgetFileException {
        if (type == null) {
            throw fail(where, "entityType", "missing");
        }
        BudgetRule.EntityType t = BudgetRule.EntityType.parse(type);
        if (t == null) {
            throw fail(where, "entityType", "\"" + type + "\" is not one of user, api_key, tag, customer");
        }
        return t;
    }

    private void entityId(BudgetRule.EntityType type, String id, String where) throws BudgetFileException {
        if (id == null) {
            throw fail(where, "entityId", "missing");
        }
        if (id.isBlank()) {
            throw fail(where, "entityId", "must not be empty");
        }
        if (type != BudgetRule.EntityType.TAG) {
            if (id.length() > MAX_ID_LENGTH) {
                throw fail(where, "entityId", "longer than " + MAX_ID_LENGTH + " characters");
            }
            return;
        }
        int eq = id.indexOf('=');
        if (eq < 0) {
            throw fail(where, "entityId", "\"" + id + "\": a tag budget's id is key=value, e.g. team=search");
        }
        if (!TAG_KEY.matcher(id.substring(0, eq)).matches()) {
            throw fail(where, "entityId", "tag key \"" + id.substring(0, eq)
                    + "\" must be 1-64 characters of a-z, A-Z, 0-9, _ or -");
        }
        if (eq == id.length() - 1) {
            throw fail(where, "entityId", "\"" + id + "\" has an empty tag value");
        }
        if (id.length() > MAX_TAG_ID_LENGTH) {
            throw fail(where, "entityId", "longer than " + MAX_TAG_ID_LENGTH + " characters");
        }
    }

    private ResetInterval resetInterval(JsonParser p, String where, String field) throws IOException, BudgetFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return ResetInterval.NONE;
        }
        String s = text(p, where, field);
        return switch (s) {
            case "daily" -> ResetInterval.DAILY;
            case "weekly" -> ResetInterval.WEEKLY;
            case "monthly" -> ResetInterval.MONTHLY;
            default -> throw fail(where, field, "\"" + s + "\" is not one of daily, weekly, monthly, null");
        };
    }

    private BudgetRule.Policy policy(JsonParser p, String where, String field) throws IOException, BudgetFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return BudgetRule.Policy.STRICT_BLOCK;
        }
        String s = text(p, where, field);
        BudgetRule.Policy policy = BudgetRule.Policy.parse(s);
        if (policy == null) {
            throw fail(where, field, "\"" + s + "\" is not one of strict_block, soft_block, warn");
        }
        return policy;
    }

    private List<Integer> thresholds(JsonParser p, String where, String field) throws IOException, BudgetFileException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return BudgetRule.DEFAULT_THRESHOLDS;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw fail(where, field, "must be an array of percentages, e.g. [50, 80, 90, 95]");
        }
        List<Integer> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int percent = (int) (long) number(p, where, field, 1, 100, false);
            if (!out.isEmpty() && percent <= out.get(out.size() - 1)) {
                throw fail(where, field, "must be in ascending order without repeats");
            }
            if (out.size() == MAX_THRESHOLDS) {
                throw fail(where, field, "at most " + MAX_THRESHOLDS + " values are allowed");
            }
            out.add(percent);
        }
        return out;
    }

    private Integer seconds(JsonParser p, String where, String field) throws IOException, BudgetFileException {
        return small(number(p, where, field, 10, 3600, true));
    }

    /** A whole number in [min, max]; {@code null} for JSON null when {@code nullable}. */
    private Long number(JsonParser p, String where, String field, long min, long max, boolean nullable)
            throws IOException, BudgetFileException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL && nullable) {
            return null;
        }
        String range = max == Long.MAX_VALUE ? "≥ " + min : "between " + min + " and " + max;
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw fail(where, field, "must be a whole number " + range + (t == JsonToken.VALUE_NUMBER_INT ? ""
                    : ", got " + p.getText()));
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw fail(where, field, "must be a whole number " + range + ", got " + v);
        }
        return v;
    }

    private String text(JsonParser p, String where, String field) throws IOException, BudgetFileException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw fail(where, field, "must be a string");
        }
        return p.getText();
    }

    private static Integer small(Long v) {
        return v == null ? null : Math.toIntExact(v);
    }

    private BudgetFileException fail(String where, String field, String problem) {
        return new BudgetFileException(origin + ": " + where + (field == null ? "" : ", field '" + field + "'")
                + ": " + problem);
    }
}
