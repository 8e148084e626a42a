package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.BudgetRule.EntityType;
import dev.nullspend.agent.guard.BudgetRule.Policy;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.NullSpendException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From configuration keys and the budgets file to what the guard enforces. */
class GuardSettingsTest {

    private static AgentConfig config(Map<String, String> properties) throws Exception {
        return AgentConfig.read(new ConfigSource(properties, Map.of(), Map.of(), Map.of(), null));
    }

    private static List<BudgetRule> file(String json) {
        BudgetsFile.Result result = BudgetsFile.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                "budgets.json");
        assertThat(result.problems()).isEmpty();
        return result.rules();
    }

    @Test
    void everyKeyReachesTheGuard() throws Exception {
        GuardSettings s = GuardSettings.from(config(Map.of(
                "nullspend.budget.limit-usd", "5",
                "nullspend.budget.reset-interval", "weekly",
                "nullspend.velocity.limit-usd", "0.5",
                "nullspend.velocity.window-seconds", "30",
                "nullspend.velocity.cooldown-seconds", "20",
                "nullspend.session.limit-usd", "1.25",
                "nullspend.allowed-models", "gpt-4o-mini, claude-*",
                "nullspend.allowed-providers", "openai",
                "nullspend.enforcement", "dry-run")), List.of());
        assertThat(s.enforcement()).isEqualTo(Enforcement.DRY_RUN);
        assertThat(s.budgets()).containsExactly(new BudgetRule(EntityType.USER, "process", 5_000_000,
                ResetInterval.WEEKLY, Policy.STRICT_BLOCK, null, null, null, null, null, List.of(50, 80, 90, 95),
                "nullspend.budget.limit-usd"));
        assertThat(s.velocity()).isEqualTo(new VelocityBreaker.Settings(500_000, 30, 20, "nullspend.velocity.limit-usd"));
        assertThat(s.sessionLimitMicros()).isEqualTo(1_250_000);
        assertThat(s.allowedModels()).containsExactly("gpt-4o-mini", "claude-*");
        assertThat(s.allowedProviders()).containsExactly("openai");
        assertThat(s.loop()).isEqualTo(new LoopDetector.Settings(50, 60, 5, "nullspend.loop.max-calls",
                "nullspend.loop.aggregate-max-keys"));
    }

    @Test
    void nothingConfiguredMeansLoopDetectionOnly() throws Exception {
        GuardSettings s = GuardSettings.from(config(Map.of()), List.of());
        assertThat(s.enforcement()).isEqualTo(Enforcement.ON);
        assertThat(s.budgets()).isEmpty();
        assertThat(s.velocity()).isNull();
        assertThat(s.sessionLimitMicros()).isNull();
        assertThat(s.allowedModels()).isEmpty();
        assertThat(s.loop().enabled()).isTrue();
    }

    @Test
    void theFirstUserRecordsLoopFieldsOverrideTheKeysOneByOne() throws Exception {
        List<BudgetRule> rules = file("[{\"entityType\":\"tag\",\"entityId\":\"a=b\",\"maxBudgetMicrodollars\":1,"
                + "\"loopMaxCalls\":7},"
                + "{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":1,\"loopMaxCalls\":30}]");
        GuardSettings s = GuardSettings.from(config(Map.of("nullspend.loop.window-seconds", "90",
                "nullspend.loop.aggregate-max-keys", "4")), rules);
        assertThat(s.loop()).isEqualTo(new LoopDetector.Settings(30, 90, 4, "loopMaxCalls of budget [1] in budgets.json",
                "nullspend.loop.aggregate-max-keys"));
        assertThat(s.budgets()).hasSize(2);
    }

    @Test
    void withoutAUserRecordTheFirstRecordsLoopFieldsApply() throws Exception {
        List<BudgetRule> rules = file("[{\"entityType\":\"customer\",\"entityId\":\"c\",\"maxBudgetMicrodollars\":1,"
                + "\"loopMaxCalls\":0,\"loopWindowSeconds\":10,\"loopAggregateMaxKeys\":2}]");
        LoopDetector.Settings loop = GuardSettings.from(config(Map.of()), rules).loop();
        assertThat(loop).isEqualTo(new LoopDetector.Settings(0, 10, 2, "loopMaxCalls of budget [0] in budgets.json",
                "loopAggregateMaxKeys of budget [0] in budgets.json"));
        assertThat(loop.enabled()).isFalse();
    }

    @Test
    void createReadsTheBudgetsFileAndTheShorthandTogether(@TempDir Path dir) throws Exception {
        Path budgets = dir.resolve("budgets.json");
        Files.writeString(budgets, "[{\"entityType\":\"customer\",\"entityId\":\"acme\",\"maxBudgetMicrodollars\":700}]");
        Guard guard = Guard.create(config(Map.of("nullspend.budgets-file", budgets.toString(),
                "nullspend.budget.limit-usd", "0.001")), null);
        assertThat(guard.tracksLocalSpend()).isTrue();
        assertThat(guard.budgets()).extracting(BudgetStatus::entityType, BudgetStatus::entityId, BudgetStatus::limitMicros)
                .containsExactly(tuple("customer", "acme", 700L),
                        tuple("user", "process", 1_000L));
    }

    @Test
    void maxCallsOneIsWarnedAboutAtStartUpBecauseItDeniesEveryCall() throws Exception {
        try (LogCapture log = new LogCapture()) {
            Guard.create(config(Map.of("nullspend.loop.max-calls", "1")), null);
            Guard.create(config(Map.of("nullspend.loop.max-calls", "2")), null);
            Guard.create(config(Map.of("nullspend.loop.max-calls", "1", "nullspend.enforcement", "off")), null);
            assertThat(log.lines()).containsExactly("[nullspend] WARN loop detection with max calls 1"
                    + " (nullspend.loop.max-calls) denies every LLM call: the N-th identical call in 60s is a loop, so"
                    + " N - 1 calls pass; 0 turns loop detection off");
        }
    }

    @Test
    void anInvalidBudgetsFileRecordIsLoggedAndTheValidOnesAreEnforced(@TempDir Path dir) throws Exception {
        Path budgets = dir.resolve("budgets.json");
        Files.writeString(budgets, "[{\"entityType\":\"user\",\"entityId\":\"a\",\"maxBudgetMicrodollars\":1000},"
                + "{\"entityType\":\"user\",\"entityId\":\"b\",\"maxBudgetMicrodollars\":-1}]");
        try (LogCapture log = new LogCapture()) {
            Guard open = Guard.create(config(Map.of("nullspend.budgets-file", budgets.toString())), null);
            Guard closed = Guard.create(config(Map.of("nullspend.budgets-file", budgets.toString(),
                    "nullspend.fail-mode", "closed")), null);
            assertThat(open.budgets()).extracting(BudgetStatus::entityId, BudgetStatus::limitMicros)
                    .containsExactly(tuple("a", 1000L));
            assertThat(catchThrowableOfType(() -> open.admit(GuardTest.request(1001)), BudgetExceededException.class)
                    .entityId()).isEqualTo("a");
            assertThat(catchThrowableOfType(() -> closed.admit(GuardTest.request(1)), NullSpendException.class).code())
                    .isEqualTo("config_invalid");
            String entry = "[nullspend] ERROR invalid budgets file entry " + budgets + ": record [1], field"
                    + " 'maxBudgetMicrodollars': must be a whole number ≥ 0, got -1; it is ignored, every valid budget is"
                    + " enforced";
            assertThat(log.lines()).startsWith(entry,
                    "[nullspend] ERROR invalid limit settings (nullspend.budgets-file): tracking stays on and every"
                            + " valid limit is still enforced (nullspend.fail-mode=open; closed would deny LLM calls"
                            + " until they are fixed)",
                    entry,
                    "[nullspend] ERROR invalid limit settings (nullspend.budgets-file) and nullspend.fail-mode=closed:"
                            + " every LLM call is denied (code config_invalid) until they are fixed; tracking stays on");
        }
    }
}
