package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;

import java.util.List;
import java.util.Locale;

/**
 * One local budget, in the NullSpend API's budget record terms (docs/nullspend-api-contract.md#budget-record): from
 * {@code nullspend.budget.limit-usd} or a record of {@code nullspend.budgets-file}.
 *
 * @param velocity             its spend-rate breaker, or {@code null}
 * @param sessionLimitMicros   cap per session for the calls it covers, or {@code null}
 * @param loopMaxCalls         loop settings overriding {@code nullspend.loop.*} (see {@link GuardSettings}), or {@code null}
 * @param thresholdPercentages ascending percentages of the limit at which spend is logged
 * @param origin               where it is configured: a configuration key, {@code [i] in <file>}, or
 *                             {@link #REMOTE} for a budget of the NullSpend API's remote policy
 */
record BudgetRule(EntityType entityType, String entityId, long maxMicros, ResetInterval resetInterval,
                  Policy policy, VelocityBreaker.Settings velocity, Long sessionLimitMicros,
                  Integer loopMaxCalls, Integer loopWindowSeconds, Integer loopAggregateMaxKeys,
                  List<Integer> thresholdPercentages, String origin) {

    static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 90, 95);
    /** Where the owner of a NullSpend API key changes its budgets. */
    static final String APP_BUDGETS = "https://nullspend.dev/app/budgets";
    /** The origin of budgets fetched from the NullSpend API. */
    static final String REMOTE = "the NullSpend API";

    /** Budget entity types; their order is the order in which denials take priority. */
    enum EntityType {
        TAG("tag"), CUSTOMER("customer"), USER("user"), API_KEY("api_key");

        final String wire;

        EntityType(String wire) {
            this.wire = wire;
        }

        static EntityType parse(String s) {
            for (EntityType t : values()) {
                if (t.wire.equals(s)) {
                    return t;
                }
            }
            return null;
        }

        /** Denial priority: tag, then customer, then the user and api_key budgets. */
        int rank() {
            return this == API_KEY ? USER.ordinal() : ordinal();
        }
    }

    /** What happens when a call would exceed the budget. */
    enum Policy {
        /** Deny the call. */
        STRICT_BLOCK,
        /** Let it through, tag its event {@code _ns_soft_block}, log once per period. */
        SOFT_BLOCK,
        /** Let it through, log once per period. */
        WARN;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Policy parse(String s) {
            for (Policy p : values()) {
                if (p.wire().equals(s)) {
                    return p;
                }
            }
            return null;
        }
    }

    BudgetRule {
        thresholdPercentages = List.copyOf(thresholdPercentages);
    }

    /** {@code type/id}, as messages name a budget. */
    String name() {
        return entityType.wire + "/" + entityId;
    }

    /** True when this budget covers a call with this attribution (user and api_key budgets cover every call). */
    boolean covers(CallOwner who) {
        return switch (entityType) {
            case USER, API_KEY -> true;
            case TAG -> who.hasTag(tagKey(), tagValue());
            case CUSTOMER -> entityId.equals(who.customerId());
        };
    }

    String tagKey() {
        return entityId.substring(0, entityId.indexOf('='));
    }

    String tagValue() {
        return entityId.substring(entityId.indexOf('=') + 1);
    }

    /**
     * How to name one of its settings in a message: the configuration key, the field of the file's
     * record, or the setting on the NullSpend dashboard.
     */
    String setting(String field) {
        if (origin.equals(REMOTE)) {
            return remoteSetting(name(), field);
        }
        return origin.startsWith("nullspend.") ? origin : field + " of budget " + origin;
    }

    /** {@code "the session limit of api_key/key_123 at https://nullspend.dev/app/budgets"}. */
    static String remoteSetting(String budgetName, String field) {
        String what = switch (field) {
            case "maxBudgetMicrodollars" -> "limit";
            case "sessionLimitMicrodollars" -> "session limit";
            case "velocityLimitMicrodollars" -> "velocity limit";
            default -> field;
        };
        return "the " + what + " of " + budgetName + " at " + APP_BUDGETS;
    }
}
