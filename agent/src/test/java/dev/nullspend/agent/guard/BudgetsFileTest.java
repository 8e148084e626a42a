package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetsFileTest {

    private static BudgetsFile.Result read(String json) {
        return BudgetsFile.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "budgets.json");
    }

    private static List<BudgetRule> parse(String json) {
        BudgetsFile.Result result = read(json);
        assertThat(result.problems()).isEmpty();
        return result.rules();
    }

    /** {@code json} has exactly one problem, {@code message}. */
    private static void rejects(String json, String message) {
        assertThat(read(json).problems()).containsExactly(message);
    }

    @Test
    void theDocumentedExampleParses() throws Exception {
        File example = new File("../docs/budgets.example.json");
        BudgetsFile.Result read = BudgetsFile.read(example);
        assertThat(read.problems()).isEmpty();
        List<BudgetRule> rules = read.rules();
        assertThat(rules).hasSize(4);

        BudgetRule user = rules.get(0);
        assertThat(user.name()).isEqualTo("user/process");
        assertThat(user.maxMicros()).isEqualTo(20_000_000);
        assertThat(user.resetInterval()).isEqualTo(ResetInterval.DAILY);
        assertThat(user.policy()).isEqualTo(BudgetRule.Policy.STRICT_BLOCK);
        assertThat(user.velocity()).isEqualTo(new VelocityBreaker.Settings(2_000_000, 60, 120,
                "velocityLimitMicrodollars of budget [0] in " + example.getPath()));
        assertThat(user.sessionLimitMicros()).isEqualTo(5_000_000);
        assertThat(user.loopMaxCalls()).isEqualTo(30);
        assertThat(user.loopWindowSeconds()).isEqualTo(120);
        assertThat(user.loopAggregateMaxKeys()).isEqualTo(5);
        assertThat(user.thresholdPercentages()).containsExactly(50, 80, 90, 95);
        assertThat(user.origin()).isEqualTo("[0] in " + example.getPath());

        BudgetRule tag = rules.get(1);
        assertThat(tag.entityType()).isEqualTo(BudgetRule.EntityType.TAG);
        assertThat(tag.tagKey()).isEqualTo("team");
        assertThat(tag.tagValue()).isEqualTo("search");
        assertThat(tag.policy()).isEqualTo(BudgetRule.Policy.SOFT_BLOCK);
        assertThat(tag.velocity()).isNull();
        assertThat(tag.thresholdPercentages()).containsExactly(50, 80, 90, 95);

        assertThat(rules.get(2).name()).isEqualTo("customer/acme-corp");
        assertThat(rules.get(2).resetInterval()).isEqualTo(ResetInterval.WEEKLY);
        assertThat(rules.get(2).policy()).isEqualTo(BudgetRule.Policy.STRICT_BLOCK);

        BudgetRule key = rules.get(3);
        assertThat(key.resetInterval()).isEqualTo(ResetInterval.NONE);
        assertThat(key.policy()).isEqualTo(BudgetRule.Policy.WARN);
        assertThat(key.thresholdPercentages()).containsExactly(25, 50, 75, 100);
    }

    @Test
    void minimalRecordTakesTheDefaults() throws Exception {
        BudgetRule r = parse("[{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":0}]").get(0);
        assertThat(r.maxMicros()).isZero();
        assertThat(r.resetInterval()).isEqualTo(ResetInterval.NONE);
        assertThat(r.policy()).isEqualTo(BudgetRule.Policy.STRICT_BLOCK);
        assertThat(r.velocity()).isNull();
        assertThat(r.sessionLimitMicros()).isNull();
        assertThat(r.loopMaxCalls()).isNull();
        assertThat(r.thresholdPercentages()).containsExactly(50, 80, 90, 95);
    }

    @Test
    void velocityWindowAndCooldownDefaultToSixtySeconds() throws Exception {
        BudgetRule r = parse("[{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":5,"
                + "\"velocityLimitMicrodollars\":7}]").get(0);
        assertThat(r.velocity()).isEqualTo(new VelocityBreaker.Settings(7, 60, 60,
                "velocityLimitMicrodollars of budget [0] in budgets.json"));
    }

    @Test
    void aSavedApiAnswerWorksAsIs() throws Exception {
        List<BudgetRule> rules = parse("{\"data\":[{\"id\":\"ns_bgt_1\",\"entityType\":\"api_key\",\"entityId\":\"key_123\","
                + "\"maxBudgetMicrodollars\":5000000,\"spendMicrodollars\":800000,\"policy\":\"strict_block\","
                + "\"resetInterval\":\"monthly\",\"currentPeriodStart\":\"2026-04-01T00:00:00Z\","
                + "\"thresholdPercentages\":[50,80,90,95],\"velocityLimitMicrodollars\":null,"
                + "\"velocityWindowSeconds\":60,\"velocityCooldownSeconds\":60,\"sessionLimitMicrodollars\":null,"
                + "\"finalizationReserveMicrodollars\":0,\"loopMaxCalls\":null,\"loopWindowSeconds\":null,"
                + "\"loopAggregateMaxKeys\":null,\"createdAt\":\"2026-03-02T10:00:00Z\",\"updatedAt\":null}]}");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).name()).isEqualTo("api_key/key_123");
        assertThat(rules.get(0).maxMicros()).isEqualTo(5_000_000);
        assertThat(rules.get(0).velocity()).isNull();
    }

    @Test
    void errorsNameFileRecordAndField() {
        String ok = "\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":5";
        rejects("[{" + ok + "},{" + ok + ",\"policy\":\"block\"}]",
                "budgets.json: record [1], field 'policy': \"block\" is not one of strict_block, soft_block, warn");
        rejects("[{" + ok + ",\"maxBudget\":5}]", "budgets.json: record [0], field 'maxBudget': unknown field (allowed:"
                + " createdAt, currentPeriodStart, entityId, entityType, finalizationReserveMicrodollars, id,"
                + " loopAggregateMaxKeys, loopMaxCalls, loopWindowSeconds, maxBudgetMicrodollars, policy, resetInterval,"
                + " sessionLimitMicrodollars, spendMicrodollars, thresholdPercentages, updatedAt,"
                + " velocityCooldownSeconds, velocityLimitMicrodollars, velocityWindowSeconds)");
        rejects("[{\"entityType\":\"tag\",\"entityId\":\"team=search\"}]",
                "budgets.json: record [0] (tag/team=search), field 'maxBudgetMicrodollars': missing");
        rejects("[{\"entityId\":\"x\",\"maxBudgetMicrodollars\":1}]", "budgets.json: record [0], field 'entityType': missing");
        rejects("[{\"entityType\":\"team\",\"entityId\":\"x\",\"maxBudgetMicrodollars\":1}]",
                "budgets.json: record [0], field 'entityType': \"team\" is not one of user, api_key, tag, customer");
        rejects("[{\"entityType\":\"tag\",\"entityId\":\"search\",\"maxBudgetMicrodollars\":1}]",
                "budgets.json: record [0], field 'entityId': \"search\": a tag budget's id is key=value, e.g. team=search");
        rejects("[{\"entityType\":\"tag\",\"entityId\":\"te am=x\",\"maxBudgetMicrodollars\":1}]",
                "budgets.json: record [0], field 'entityId': tag key \"te am\" must be 1-64 characters of a-z, A-Z, 0-9, _ or -");
        rejects("[{\"entityType\":\"tag\",\"entityId\":\"team=\",\"maxBudgetMicrodollars\":1}]",
                "budgets.json: record [0], field 'entityId': \"team=\" has an empty tag value");
        rejects("[{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":5.5}]",
                "budgets.json: record [0], field 'maxBudgetMicrodollars': must be a whole number ≥ 0, got 5.5");
        rejects("[{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":-1}]",
                "budgets.json: record [0], field 'maxBudgetMicrodollars': must be a whole number ≥ 0, got -1");
        rejects("[{\"entityType\":\"user\",\"entityId\":\"me\",\"maxBudgetMicrodollars\":\"5\"}]",
                "budgets.json: record [0], field 'maxBudgetMicrodollars': must be a whole number ≥ 0, got 5");
        rejects("[{" + ok + ",\"velocityWindowSeconds\":5}]",
                "budgets.json: record [0], field 'velocityWindowSeconds': must be a whole number between 10 and 3600, got 5");
        rejects("[{" + ok + ",\"resetInterval\":\"yearly\"}]",
                "budgets.json: record [0], field 'resetInterval': \"yearly\" is not one of daily, weekly, monthly, null");
        rejects("[{" + ok + ",\"thresholdPercentages\":[50,50]}]",
                "budgets.json: record [0], field 'thresholdPercentages': must be in ascending order without repeats");
        rejects("[{" + ok + ",\"thresholdPercentages\":[0]}]",
                "budgets.json: record [0], field 'thresholdPercentages': must be a whole number between 1 and 100, got 0");
        rejects("[{" + ok + ",\"thresholdPercentages\":[1,2,3,4,5,6,7,8,9,10,11]}]",
                "budgets.json: record [0], field 'thresholdPercentages': at most 10 values are allowed");
        rejects("[{" + ok + "},{" + ok + "}]", "budgets.json: record [1]: budget user/me is already defined by record [0]");
        rejects("[{" + ok + ",\"policy\":\"warn\",\"policy\":\"warn\"}]",
                "budgets.json: invalid JSON: Duplicate field 'policy' at line 1, column 89");
        rejects("[5]", "budgets.json: record [0]: must be a JSON object");
        rejects("", "budgets.json: the file: is empty; expected a JSON array of budget records");
        rejects("{\"budgets\":[]}",
                "budgets.json: the top-level object, field 'budgets': unknown field (expected \"data\": [budget records])");
        rejects("[] []", "budgets.json: the file: unexpected content after the budget records");
    }

    @Test
    void commentsAreIgnored() throws Exception {
        assertThat(parse("{\"_note\":{\"a\":[1]},\"data\":[{\"_why\":[1,2],\"entityType\":\"customer\","
                + "\"entityId\":\"acme\",\"maxBudgetMicrodollars\":1}]}")).hasSize(1);
    }

    @Test
    void anInvalidRecordIsNamedAndLeftOutAndEveryValidOneIsKept() {
        BudgetsFile.Result result = read("""
                [{"entityType":"user","entityId":"a","maxBudgetMicrodollars":1000},
                 {"entityType":"user","entityId":"b","maxBudgetMicrodollars":"x","thresholdPercentages":[50]},
                 {"entityType":"tag","entityId":"team=x","maxBudgetMicrodollars":5,"oops":{"a":[1,{"b":2}]}},
                 {"entityType":"user","entityId":"a","maxBudgetMicrodollars":7},
                 42,
                 [1,[2]],
                 {"entityType":"customer","entityId":"c","maxBudgetMicrodollars":9,"thresholdPercentages":[50,40,{"x":1}]},
                 {"entityType":"customer","entityId":"d","maxBudgetMicrodollars":11}]""");
        assertThat(result.rules()).extracting(BudgetRule::name, BudgetRule::maxMicros)
                .containsExactly(tuple("user/a", 1000L), tuple("customer/d", 11L));
        assertThat(result.problems()).hasSize(6);
        assertThat(result.problems().get(0)).isEqualTo("budgets.json: record [1], field 'maxBudgetMicrodollars': must be"
                + " a whole number ≥ 0, got x");
        assertThat(result.problems().get(1)).startsWith("budgets.json: record [2], field 'oops': unknown field (allowed: ");
        assertThat(result.problems().get(2)).isEqualTo("budgets.json: record [3]: budget user/a is already defined by"
                + " record [0]");
        assertThat(result.problems().get(3)).isEqualTo("budgets.json: record [4]: must be a JSON object");
        assertThat(result.problems().get(4)).isEqualTo("budgets.json: record [5]: must be a JSON object");
        assertThat(result.problems().get(5)).isEqualTo("budgets.json: record [6], field 'thresholdPercentages': must be"
                + " in ascending order without repeats");
    }

    @Test
    void brokenJsonKeepsTheRecordsBeforeIt() {
        BudgetsFile.Result result = read("[{\"entityType\":\"user\",\"entityId\":\"a\",\"maxBudgetMicrodollars\":1000},\n"
                + " {\"entityType\":\"user\",");
        assertThat(result.rules()).extracting(BudgetRule::name).containsExactly("user/a");
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0)).startsWith("budgets.json: invalid JSON: ").endsWith("at line 2, column 23");
    }
}
