package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.BudgetRule.EntityType;
import dev.nullspend.agent.guard.BudgetRule.Policy;
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

    private static List<BudgetRule> file(String json) throws BudgetFileException {
        return BudgetsFile.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "budgets.json");
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
}
