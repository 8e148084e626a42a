package dev.nullspend.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.api.VelocityExceededException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#error-body, #denials: the proxy's denial bodies become the typed exceptions, with the body's figures. */
class ProxyDenialsTest {
    private static final Headers DENIED = name -> name.equalsIgnoreCase("X-NullSpend-Denied") ? "1" : null;

    private static NullSpendException map(int status, Headers headers, String body) {
        return ProxyDenials.map(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Headers denied(String retryAfter) {
        Map<String, String> h = Map.of("x-nullspend-denied", "1", "retry-after", retryAfter);
        return name -> h.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void budget() {
        NullSpendException e = map(429, DENIED, "{\"error\":{\"code\":\"budget_exceeded\",\"message\":\"Budget exceeded."
                + " $0.42 remaining\",\"details\":{\"entity_type\":\"api_key\",\"entity_id\":\"key_123\","
                + "\"budget_limit_microdollars\":5000000,\"budget_spend_microdollars\":4580000,"
                + "\"estimated_cost_microdollars\":600000},\"upgrade_url\":\"https://nullspend.dev/app/billing\"}}");

        BudgetExceededException b = (BudgetExceededException) e;
        assertThat(b.code()).isEqualTo("budget_exceeded");
        assertThat(b.getMessage()).isEqualTo("Budget exceeded. $0.42 remaining");
        assertThat(List.of(b.entityType(), b.entityId())).containsExactly("api_key", "key_123");
        assertThat(List.of(b.limitMicrodollars(), b.spendMicrodollars(), b.remainingMicrodollars(), b.estimatedCostMicrodollars()))
                .containsExactly(5_000_000L, 4_580_000L, 420_000L, 600_000L);
        assertThat(b.recovery()).isEqualTo(Recovery.ownerAction("budget-exceeded"));
    }

    @Test
    void customerBudgetIsABudgetOnTheCustomer() {
        BudgetExceededException b = (BudgetExceededException) map(429, DENIED, "{\"error\":{\"code\":"
                + "\"customer_budget_exceeded\",\"message\":\"m\",\"details\":{\"customer_id\":\"acme\","
                + "\"budget_limit_microdollars\":1000000,\"budget_spend_microdollars\":1000001}}}");

        assertThat(List.of(b.entityType(), b.entityId())).containsExactly("customer", "acme");
        assertThat(b.remainingMicrodollars()).isZero();
    }

    @Test
    void tagBudget() {
        TagBudgetExceededException t = (TagBudgetExceededException) map(429, DENIED, "{\"error\":{\"code\":"
                + "\"tag_budget_exceeded\",\"message\":\"m\",\"details\":{\"tag_key\":\"team\",\"tag_value\":\"search\","
                + "\"budget_limit_microdollars\":2000000,\"budget_spend_microdollars\":1999000}}}");

        assertThat(List.of(t.tagKey(), t.tagValue())).containsExactly("team", "search");
        assertThat(t.remainingMicrodollars()).isEqualTo(1000);
        assertThat(t.code()).isEqualTo("tag_budget_exceeded");
    }

    @Test
    void velocityTakesItsRetryFromTheHeader() {
        String body = "{\"error\":{\"code\":\"velocity_exceeded\",\"message\":\"m\",\"details\":{\"limitMicrodollars\":100000,"
                + "\"windowSeconds\":60,\"currentMicrodollars\":123456},\"recovery\":{\"retryable\":true,"
                + "\"retry_after_seconds\":9}}}";

        VelocityExceededException v = (VelocityExceededException) map(429, denied("17"), body);
        assertThat(List.of(v.limitMicrodollars(), (long) v.windowSeconds(), v.currentMicrodollars(), (long) v.retryAfterSeconds()))
                .containsExactly(100_000L, 60L, 123_456L, 17L);
        assertThat(v.recovery()).isEqualTo(Recovery.retryAfter(17, "velocity"));
        assertThat(((VelocityExceededException) map(429, DENIED, body)).retryAfterSeconds()).as("no header").isEqualTo(9);
    }

    @Test
    void sessionLoopAndMandate() {
        SessionLimitExceededException s = (SessionLimitExceededException) map(429, DENIED, "{\"error\":{\"code\":"
                + "\"session_limit_exceeded\",\"message\":\"m\",\"details\":{\"session_id\":\"sess-1\","
                + "\"session_spend_microdollars\":750000,\"session_limit_microdollars\":500000}}}");
        assertThat(List.of(s.sessionId(), s.sessionSpendMicrodollars(), s.sessionLimitMicrodollars()))
                .containsExactly("sess-1", 750_000L, 500_000L);

        LoopDetectedException l = (LoopDetectedException) map(429, denied("5"), "{\"error\":{\"code\":\"loop_detected\","
                + "\"message\":\"m\",\"details\":{\"type\":\"aggregate\",\"model\":\"aggregate\",\"provider\":\"multiple\","
                + "\"callCount\":6,\"windowSeconds\":30,\"maxCalls\":5}}}");
        assertThat(List.of(l.provider(), l.model(), l.detectionType())).containsExactly("multiple", "aggregate", "aggregate");
        assertThat(List.of(l.callCount(), l.windowSeconds(), l.maxCalls())).containsExactly(6, 30, 5);
        LoopDetectedException bare = (LoopDetectedException) map(429, DENIED, "{\"error\":{\"code\":\"loop_detected\"}}");
        assertThat(List.of(bare.model(), bare.callCount(), bare.windowSeconds(), bare.maxCalls()))
                .containsExactly("unknown", 0, 60, 50);
        assertThat(bare.getMessage()).isEqualTo("The NullSpend proxy denied the call (loop_detected)");

        MandateViolationException m = (MandateViolationException) map(403, Headers.NONE, "{\"error\":{\"code\":"
                + "\"mandate_violation\",\"message\":\"m\",\"details\":{\"mandate\":\"allowed_models\",\"requested\":"
                + "\"gpt-4o\",\"allowed\":[\"gpt-4o-mini\",\"claude-haiku-4-5\"]}}}");
        assertThat(List.of(m.mandate(), m.requested())).containsExactly("allowed_models", "gpt-4o");
        assertThat(m.allowed()).containsExactly("gpt-4o-mini", "claude-haiku-4-5");
    }

    @Test
    void everythingElseIsNoDenial() {
        String budget = "{\"error\":{\"code\":\"budget_exceeded\",\"details\":{}}}";
        assertThat(map(429, Headers.NONE, budget)).as("a provider's 429: no denied header").isNull();
        assertThat(map(402, DENIED, budget)).isNull();
        assertThat(map(403, Headers.NONE, "{\"error\":{\"code\":\"unauthorized\"}}")).isNull();
        assertThat(map(403, Headers.NONE, "<html>forbidden</html>")).isNull();
        assertThat(map(429, DENIED, "{\"error\":{\"code\":\"plan_limit_exceeded\",\"details\":{}}}")).isNull();
        assertThat(map(429, DENIED, "{\"error\":{\"code\":\"something_new\"}}")).isNull();
        assertThat(map(429, DENIED, "not json")).isNull();
        assertThat(map(429, DENIED, "{\"error\":{\"code\":\"budget_exceeded\",\"pad\":\"" + "x".repeat(ProxyDenials.MAX_BODY)
                + "\"}}")).as("over the bound").isNull();
        assertThat(ProxyDenials.isCandidate(429, DENIED)).isTrue();
        assertThat(ProxyDenials.isCandidate(403, Headers.NONE)).isTrue();
        assertThat(ProxyDenials.isCandidate(429, Headers.NONE)).isFalse();
        assertThat(ProxyDenials.isCandidate(200, DENIED)).isFalse();
    }
}
