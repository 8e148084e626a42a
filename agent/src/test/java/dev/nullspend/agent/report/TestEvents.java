package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Distinct, numbered events: {@code idempotencyKey} is {@code "k-<n>"}. */
final class TestEvents {
    private static final Instant T0 = Instant.parse("2026-11-28T19:00:00.000Z");

    private TestEvents() {
    }

    static CostEvent event(int n) {
        return CostEvent.builder().provider("openai").model("gpt-4o-mini").eventType(CostEvent.Type.LLM)
                .inputTokens(22).outputTokens(3).costMicrodollars(9)
                .idempotencyKey("k-" + n).createdAt(T0.plusMillis(n)).build();
    }

    static List<CostEvent> events(int from, int count) {
        List<CostEvent> list = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            list.add(event(i));
        }
        return list;
    }

    static List<String> keys(List<CostEvent> events) {
        return events.stream().map(CostEvent::idempotencyKey).toList();
    }
}
