package dev.nullspend.agent.guard;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.ConfigKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the guard enforces, from the configuration and the budgets file.
 *
 * @param allowedModels    model patterns, empty for no restriction
 * @param allowedProviders provider patterns, empty for no restriction
 * @param budgets          local budgets: {@code nullspend.budget.limit-usd} first, then the file's records
 * @param velocity         the process-wide breaker of {@code nullspend.velocity.*}, or {@code null}
 * @param sessionLimitMicros {@code nullspend.session.limit-usd}, or {@code null}
 * @param loop             loop detection settings ({@code maxCalls} 0: off)
 * @param invalidLimits    what {@code nullspend.fail-mode=closed} denies every call for ({@code config_invalid}):
 *                         the limit settings with an invalid value; empty when none is or the fail mode is open
 */
record GuardSettings(Enforcement enforcement, List<String> allowedModels, List<String> allowedProviders,
                     List<BudgetRule> budgets, VelocityBreaker.Settings velocity, Long sessionLimitMicros,
                     LoopDetector.Settings loop, List<String> invalidLimits) {

    /** Entity id of the budget {@code nullspend.budget.limit-usd} defines (entity type {@code user}). */
    static final String PROCESS_BUDGET_ID = "process";

    GuardSettings {
        allowedModels = List.copyOf(allowedModels);
        allowedProviders = List.copyOf(allowedProviders);
        budgets = List.copyOf(budgets);
        invalidLimits = List.copyOf(invalidLimits);
    }

    static GuardSettings from(AgentConfig config, List<BudgetRule> fileBudgets) {
        return from(config, new BudgetsFile.Result(fileBudgets, List.of()));
    }

    /** The settings of {@code config} and the budgets file's valid records; its invalid ones count as invalid limits. */
    static GuardSettings from(AgentConfig config, BudgetsFile.Result file) {
        List<BudgetRule> fileBudgets = file.rules();
        List<BudgetRule> budgets = new ArrayList<>();
        if (config.budgetLimitMicros != null) {
            budgets.add(new BudgetRule(BudgetRule.EntityType.USER, PROCESS_BUDGET_ID, config.budgetLimitMicros,
                    config.budgetResetInterval, BudgetRule.Policy.STRICT_BLOCK, null, null, null, null, null,
                    BudgetRule.DEFAULT_THRESHOLDS, ConfigKeys.BUDGET_LIMIT_USD));
        }
        budgets.addAll(fileBudgets);
        VelocityBreaker.Settings velocity = config.velocityLimitMicros == null ? null
                : new VelocityBreaker.Settings(config.velocityLimitMicros, config.velocityWindowSeconds,
                config.velocityCooldownSeconds, ConfigKeys.VELOCITY_LIMIT_USD);
        return new GuardSettings(config.enforcement, config.allowedModels, config.allowedProviders, budgets, velocity,
                config.sessionLimitMicros, loop(config, fileBudgets),
                config.failMode == AgentConfig.FailMode.CLOSED ? invalidLimits(config, file) : List.of());
    }

    /** The invalid limit settings: keys, and {@code nullspend.budgets-file} when some of its records are invalid. */
    static List<String> invalidLimits(AgentConfig config, BudgetsFile.Result file) {
        List<String> out = new ArrayList<>(config.invalidLimitKeys());
        if (!file.problems().isEmpty() && !out.contains(ConfigKeys.BUDGETS_FILE)) {
            out.add(ConfigKeys.BUDGETS_FILE);
        }
        return out;
    }

    /**
     * {@code nullspend.loop.*}, overridden field by field by the loop fields of the budgets file's
     * first {@code user} record, else its first record (the NullSpend proxy's rule).
     */
    static LoopDetector.Settings loop(AgentConfig config, List<BudgetRule> fileBudgets) {
        BudgetRule source = fileBudgets.stream().filter(b -> b.entityType() == BudgetRule.EntityType.USER)
                .findFirst().orElse(fileBudgets.isEmpty() ? null : fileBudgets.get(0));
        int maxCalls = config.loopMaxCalls;
        int window = config.loopWindowSeconds;
        int aggregate = config.loopAggregateMaxKeys;
        String maxCallsSetting = ConfigKeys.LOOP_MAX_CALLS;
        String aggregateSetting = ConfigKeys.LOOP_AGGREGATE_MAX_KEYS;
        if (source != null) {
            if (source.loopMaxCalls() != null) {
                maxCalls = source.loopMaxCalls();
                maxCallsSetting = source.setting("loopMaxCalls");
            }
            if (source.loopWindowSeconds() != null) {
                window = source.loopWindowSeconds();
            }
            if (source.loopAggregateMaxKeys() != null) {
                aggregate = source.loopAggregateMaxKeys();
                aggregateSetting = source.setting("loopAggregateMaxKeys");
            }
        }
        return new LoopDetector.Settings(maxCalls, window, aggregate, maxCallsSetting, aggregateSetting);
    }
}
