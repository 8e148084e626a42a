package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.guard.BudgetRule.EntityType;
import dev.nullspend.agent.guard.BudgetRule.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemotePolicyJsonTest {
    /** docs/nullspend-api-contract.md#policy, verbatim. */
    static final String SPEC_POLICY = "{\"budget\":{\"remaining_microdollars\":4200000,\"max_microdollars\":5000000,"
            + "\"spend_microdollars\":800000,\"period_end\":\"2026-05-01T00:00:00Z\",\"entity_type\":\"api_key\","
            + "\"entity_id\":\"key_123\"},\"allowed_models\":[\"gpt-4o-mini\",\"claude-haiku-4-5\"],"
            + "\"allowed_providers\":null,\"cheapest_per_provider\":null,\"cheapest_overall\":null,"
            + "\"restrictions_active\":true,\"session_limit_microdollars\":null}";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RemotePolicy parse(String policy, String status) throws PolicyFormatException {
        return RemotePolicyJson.parse(utf8(policy), status == null ? null : utf8(status));
    }

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void theSpecsPolicyMapsToOneStrictBudgetAndTheModelMandate() throws PolicyFormatException {
        RemotePolicy p = parse(SPEC_POLICY, null);

        assertThat(p.budgets).containsExactly(new RemoteBudget(new BudgetRule(EntityType.API_KEY, "key_123", 5_000_000,
                ResetInterval.NONE, Policy.STRICT_BLOCK, null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS,
                BudgetRule.REMOTE), 800_000, 0, Long.MIN_VALUE, millis("2026-05-01T00:00:00Z")));
        assertThat(p.sessionLimitMicros).isNull();
        assertThat(p.mandates.check("openai", "gpt-4o-mini")).isNull();
        assertThat(p.mandates.check("anthropic", "claude-haiku-4-5")).isNull();
        assertThat(p.mandates.check("openai", "gpt-4o").allowed()).containsExactly("gpt-4o-mini", "claude-haiku-4-5");
        assertThat(p.describe()).isEqualTo("budget api_key/key_123 ($4.20 of $5.00 left); allowed models gpt-4o-mini,"
                + " claude-haiku-4-5");
    }

    @Test
    void aNullBudgetIsUnlimitedAndNullListsAreUnrestricted() throws PolicyFormatException {
        RemotePolicy p = parse("{\"budget\":null,\"allowed_models\":null,\"allowed_providers\":null,"
                + "\"session_limit_microdollars\":250000}", null);

        assertThat(p.budgets).isEmpty();
        assertThat(p.mandates).isNull();
        assertThat(p.sessionLimitMicros).isEqualTo(250_000);
        assertThat(parse("{}", "{\"entities\":[]}").describe()).isEqualTo("no limits");
    }

    @Test
    void aWrappedAnswerIsUnwrappedAndMissingAmountsAreDerivedFromRemaining() throws PolicyFormatException {
        RemotePolicy p = parse("{\"data\":{\"budget\":{\"remaining_microdollars\":300000,\"max_microdollars\":1000000,"
                + "\"entity_type\":\"tag\",\"entity_id\":\"team=search\",\"finalization_reserve_microdollars\":50000,"
                + "\"policy\":\"soft_block\"},\"allowed_providers\":[]}}", null);

        RemoteBudget b = p.budgets.get(0);
        assertThat(b.spendMicros()).isEqualTo(700_000);
        assertThat(b.finalizationReserveMicros()).isEqualTo(50_000);
        assertThat(b.rule().policy()).isEqualTo(Policy.SOFT_BLOCK);
        assertThat(b.rule().entityType()).isEqualTo(EntityType.TAG);
        assertThat(b.periodEndMillis()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.mandates.check("openai", "gpt-4o").mandate()).as("an empty list allows nothing")
                .isEqualTo("allowed_providers");
    }

    @Test
    void budgetStatusEntitiesMapEveryFieldTheGuardEnforces() throws PolicyFormatException {
        RemotePolicy p = parse("{\"budget\":{\"max_microdollars\":5000000,\"spend_microdollars\":1,"
                + "\"entity_type\":\"api_key\",\"entity_id\":\"key_123\"}}", "{\"entities\":["
                + "{\"entityType\":\"api_key\",\"entityId\":\"key_123\",\"limitMicrodollars\":5000000,"
                + "\"spendMicrodollars\":800000,\"remainingMicrodollars\":4200000,\"policy\":\"warn\","
                + "\"resetInterval\":\"monthly\",\"currentPeriodStart\":\"2026-04-15T08:30:00Z\","
                + "\"thresholdPercentages\":[25,75],\"velocityLimitMicrodollars\":100000,\"velocityWindowSeconds\":30,"
                + "\"velocityCooldownSeconds\":120,\"sessionLimitMicrodollars\":200000,"
                + "\"finalizationReserveMicrodollars\":10000},"
                + "{\"entityType\":\"user\",\"entityId\":\"user_9\",\"limitMicrodollars\":2000000,"
                + "\"remainingMicrodollars\":500000,\"policy\":null,\"resetInterval\":null,\"currentPeriodStart\":null,"
                + "\"thresholdPercentages\":null,\"velocityLimitMicrodollars\":null,\"velocityWindowSeconds\":60,"
                + "\"velocityCooldownSeconds\":60,\"sessionLimitMicrodollars\":null,"
                + "\"finalizationReserveMicrodollars\":null}]}");

        assertThat(p.budgets).as("the status entity replaces the policy's budget of the same key").containsExactly(
                new RemoteBudget(new BudgetRule(EntityType.API_KEY, "key_123", 5_000_000, ResetInterval.MONTHLY,
                        Policy.WARN, new VelocityBreaker.Settings(100_000, 30, 120,
                        "the velocity limit of api_key/key_123 at https://nullspend.dev/app/budgets"), 200_000L, null,
                        null, null, List.of(25, 75), BudgetRule.REMOTE), 800_000, 10_000,
                        millis("2026-04-15T08:30:00Z"), millis("2026-05-15T08:30:00Z")),
                new RemoteBudget(new BudgetRule(EntityType.USER, "user_9", 2_000_000, ResetInterval.NONE,
                        Policy.STRICT_BLOCK, null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS, BudgetRule.REMOTE),
                        1_500_000, 0, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void anEntityTheAgentCannotEnforceIsLeftOutAndAnUnknownIntervalLeavesThePeriodToTheNextSnapshot()
            throws PolicyFormatException {
        try (LogCapture log = new LogCapture()) {
            RemotePolicy p = parse("{}", "{\"entities\":["
                    + "{\"entityType\":\"team\",\"entityId\":\"t1\",\"limitMicrodollars\":1,\"spendMicrodollars\":0},"
                    + "{\"entityType\":\"tag\",\"entityId\":\"no-equals\",\"limitMicrodollars\":1,\"spendMicrodollars\":0},"
                    + "{\"entityType\":\"customer\",\"entityId\":\"acme\",\"limitMicrodollars\":1,\"spendMicrodollars\":0,"
                    + "\"policy\":\"block\"},"
                    + "{\"entityType\":\"customer\",\"entityId\":\"beta\",\"limitMicrodollars\":9,\"spendMicrodollars\":2,"
                    + "\"resetInterval\":\"yearly\",\"currentPeriodStart\":\"2026-01-01T00:00:00Z\"}]}");

            assertThat(p.budgets).hasSize(1);
            RemoteBudget beta = p.budgets.get(0);
            assertThat(beta.rule().name()).isEqualTo("customer/beta");
            assertThat(beta.rule().resetInterval()).isEqualTo(ResetInterval.NONE);
            assertThat(beta.periodEndMillis()).isEqualTo(Long.MAX_VALUE);
            assertThat(log.lines()).containsExactly(
                    "[nullspend] WARN the NullSpend API's budget team/t1 is not enforced: its entity type is not one of"
                            + " user, api_key, tag, customer (logged once)",
                    "[nullspend] WARN the NullSpend API's budget tag/no-equals is not enforced: a tag budget's id is"
                            + " key=value (logged once)",
                    "[nullspend] WARN the NullSpend API's budget customer/acme is not enforced: its policy \"block\" is"
                            + " not one of strict_block, soft_block, warn (logged once)");
        }
    }

    @Test
    void answersOfAnotherShapeFailTheRefreshWithTheReason() {
        assertThatThrownBy(() -> parse("<html>", null)).isInstanceOf(PolicyFormatException.class)
                .hasMessageStartingWith("GET /api/policy: unexpected response format: invalid JSON:");
        assertThatThrownBy(() -> parse("[]", null))
                .hasMessage("GET /api/policy: unexpected response format: not a JSON object");
        assertThatThrownBy(() -> parse("{\"budget\":{\"entity_type\":\"api_key\",\"entity_id\":\"k\"}}", null))
                .hasMessage("GET /api/policy: budget: unexpected response format: no max_microdollars");
        assertThatThrownBy(() -> parse("{\"budget\":{\"max_microdollars\":-1}}", null))
                .hasMessage("GET /api/policy: budget: unexpected response format: max_microdollars must be a whole"
                        + " number ≥ 0, got -1");
        assertThatThrownBy(() -> parse("{\"allowed_models\":\"gpt-4o\"}", null))
                .hasMessage("GET /api/policy: unexpected response format: allowed_models must be an array or null");
        assertThatThrownBy(() -> parse("{}", "{\"data\":[]}"))
                .hasMessage("GET /api/budgets/status: unexpected response format: no \"entities\" array");
        assertThatThrownBy(() -> parse("{}", "{\"entities\":[{\"entityType\":\"user\",\"entityId\":\"u\"}]}"))
                .hasMessage("GET /api/budgets/status: entities[0]: unexpected response format: no limitMicrodollars");
    }
}
