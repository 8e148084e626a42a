package dev.nullspend.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.api.CostEventSanitizer.Fix;
import dev.nullspend.api.CostEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostEventSanitizerTest {

    private static CostEvent.Builder valid() {
        return CostEvent.builder().provider("openai").model("gpt-4o").eventType(CostEvent.Type.LLM)
                .inputTokens(1000).outputTokens(500).cachedInputTokens(400).costMicrodollars(7000)
                .costBreakdown(new CostEvent.Breakdown(1500, 5000, 500, 0)).durationMs(812L)
                .sessionId("checkout-7").traceId("4bf92f3577b34da6a3ce929d0e0e4736").customer("acme")
                .tag("team", "search").idempotencyKey("ns_6f1d7a52-0d0e-4c53-9d3e-0a1c5b8e2f10");
    }

    @Test
    void aValidEventIsReturnedAsItIs() {
        CostEvent e = valid().build();

        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(e);

        assertThat(r.event()).isSameAs(e);
        assertThat(r.fixes()).isEmpty();
    }

    @Test
    void anUpperCaseHexTraceIdIsLowerCasedWithoutCountingAsAFix() {
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().traceId("4BF92F3577B34DA6A3CE929D0E0E4736").build());

        assertThat(r.event().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(r.fixes()).isEmpty();
    }

    @Test
    void anyOtherTraceIdMovesIntoATagWhenOneIsFree() {
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().traceId("trace-42").build());

        assertThat(r.event().traceId()).isNull();
        assertThat(r.event().tags()).containsExactly(Map.entry("team", "search"), Map.entry("_ns_trace_id", "trace-42"));
        assertThat(r.fixes()).containsExactly(Fix.TRACE_ID);
    }

    @Test
    void aBadTraceIdIsDroppedWhenTheTagsAreFull() {
        CostEvent.Builder b = valid().clearTags().traceId("not-hex");
        for (int i = 0; i < 10; i++) {
            b.tag("k" + i, "v");
        }

        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(b.build());

        assertThat(r.event().traceId()).isNull();
        assertThat(r.event().tags()).hasSize(10).doesNotContainKey("_ns_trace_id");
    }

    /** Reference defect 8 (docs/nullspend-api-contract.md#reference-sdk-defects): _ns_ tags on top of ten user tags made eleven, and the batch was lost. */
    @Test
    void internalTagsComeFirstAndTheLastUserTagsGoBeyondTen() {
        CostEvent.Builder b = valid().clearTags();
        for (int i = 0; i < 10; i++) {
            b.tag("user" + i, "v" + i);
        }
        b.tag("_ns_estimated", "true").tag("_ns_cancelled", "true");

        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(b.build());

        assertThat(r.event().tags().keySet()).containsExactly("_ns_estimated", "_ns_cancelled", "user0", "user1",
                "user2", "user3", "user4", "user5", "user6", "user7");
        assertThat(r.fixes()).containsExactly(Fix.TAG_COUNT);
    }

    @Test
    void tagKeysAndValuesAreMadeValid() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team name", "a\0b");
        tags.put("x".repeat(70), "y".repeat(300));
        tags.put("***", "gone? no: becomes ___");
        tags.put("team_name", "repeat of the fixed key: dropped");
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().clearTags().tags(tags).build());

        assertThat(r.event().tags()).containsExactly(Map.entry("team_name", "ab"), Map.entry("x".repeat(64), "y".repeat(256)),
                Map.entry("___", "gone? no: becomes ___"));
        assertThat(r.fixes()).containsExactlyInAnyOrder(Fix.TAG_KEY, Fix.TAG_VALUE);
    }

    /** Reference defect 7 (docs/nullspend-api-contract.md#reference-sdk-defects): negative tool costs were sent and lost the batch. */
    @Test
    void aNegativeCostBecomesZeroWithoutItsBreakdown() {
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().costMicrodollars(-20_000).build());

        assertThat(r.event().costMicrodollars()).isZero();
        assertThat(r.event().costBreakdown()).isNull();
        assertThat(r.fixes()).containsExactly(Fix.COST);
    }

    @Test
    void aCostBeyondTwoToTheFiftyThreeIsClamped() {
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().costMicrodollars(Long.MAX_VALUE).build());

        assertThat(r.event().costMicrodollars()).isEqualTo(9_007_199_254_740_991L);
    }

    @Test
    void negativeCountsAndDurationAreFixed() {
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().inputTokens(-1).reasoningTokens(-5)
                .durationMs(-3L).build());

        assertThat(r.event().inputTokens()).isZero();
        assertThat(r.event().reasoningTokens()).isZero();
        assertThat(r.event().durationMs()).isNull();
        assertThat(r.fixes()).containsExactlyInAnyOrder(Fix.NEGATIVE_TOKENS, Fix.DURATION);
    }

    @Test
    void stringsAreCutToTheirLimitsNeverInsideASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        CostEventSanitizer.Result r = CostEventSanitizer.sanitize(valid().provider("p".repeat(99) + emoji)
                .model("") .sessionId("s".repeat(250)).toolName("t".repeat(201)).toolServer("u".repeat(201))
                .customer("c".repeat(300)).build());

        assertThat(r.event().provider()).isEqualTo("p".repeat(99));
        assertThat(r.event().model()).isEqualTo("unknown");
        assertThat(r.event().sessionId()).hasSize(200);
        assertThat(r.event().toolName()).hasSize(200);
        assertThat(r.event().toolServer()).hasSize(200);
        assertThat(r.event().customer()).hasSize(256);
        assertThat(r.fixes()).containsExactlyInAnyOrder(Fix.PROVIDER, Fix.MODEL, Fix.SESSION_ID, Fix.TOOL_NAME, Fix.CUSTOMER);
    }

    @Test
    void anEmptyCustomerIsDropped() {
        assertThat(CostEventSanitizer.sanitize(valid().customer("").build()).event().customer()).isNull();
    }

    @Test
    void idempotencyKeysAreMadeWhenMissingAndReplacedStablyWhenTooLong() {
        CostEvent missing = valid().idempotencyKey(null).build();
        CostEvent tooLong = valid().idempotencyKey("k".repeat(201)).build();

        String made = CostEventSanitizer.sanitize(missing).event().idempotencyKey();
        String replaced = CostEventSanitizer.sanitize(tooLong).event().idempotencyKey();

        assertThat(made).matches("ns_[0-9a-f-]{36}");
        assertThat(replaced).matches("ns_[0-9a-f-]{36}")
                .as("the same on every send, so the API still deduplicates")
                .isEqualTo(CostEventSanitizer.sanitize(tooLong).event().idempotencyKey());
    }

    @Test
    void sanitisingTwiceChangesNothingMore() {
        CostEvent.Builder b = valid().traceId("bad").costMicrodollars(-1);
        for (int i = 0; i < 12; i++) {
            b.tag("t" + i, "v");
        }
        CostEvent once = CostEventSanitizer.sanitize(b.build()).event();

        CostEventSanitizer.Result twice = CostEventSanitizer.sanitize(once);

        assertThat(twice.event()).isSameAs(once);
    }
}
