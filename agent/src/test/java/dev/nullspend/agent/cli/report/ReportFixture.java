package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.report.CostEventJson;
import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Five events with known numbers over three UTC days. Totals: 5 calls, 34,280 µ$, 6,010 input and
 * 810 output tokens. k3 is estimated, k4 unpriced and dry-run denied, k5 a tool past a soft block.
 */
final class ReportFixture {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-12-07T17:00:00Z"), ZoneOffset.UTC);

    static final CostEvent K1 = llm("openai", "gpt-4o-mini", 1000, 200, 270, "2026-12-01T10:00:00Z")
            .sessionId("s1").customer("acme").tag("team", "search").idempotencyKey("k1").build();
    static final CostEvent K2 = llm("openai", "gpt-4o-mini", 3000, 100, 510, "2026-12-02T09:00:00Z")
            .sessionId("s1").customer("acme").tag("team", "search").idempotencyKey("k2").build();
    static final CostEvent K3 = llm("anthropic", "claude-sonnet-4-5", 2000, 500, 13_500, "2026-12-02T11:00:00Z")
            .sessionId("s2").customer("globex").tag("team", "chat").tag("_ns_estimated", "true").idempotencyKey("k3").build();
    static final CostEvent K4 = llm("openai", "mystery-model", 10, 10, 0, "2026-12-03T08:00:00Z")
            .tag("_ns_unpriced", "true").tag("_ns_dry_run", "budget_exceeded").idempotencyKey("k4").build();
    static final CostEvent K5 = CostEvent.builder().eventType(CostEvent.Type.TOOL).provider("tool").model("custom")
            .toolName("web_search").costMicrodollars(20_000).createdAt(Instant.parse("2026-12-03T12:00:00Z"))
            .sessionId("s2").customer("globex").tag("team", "chat").tag("_ns_soft_block", "user:u1")
            .idempotencyKey("k5").build();

    static final List<CostEvent> EVENTS = List.of(K1, K2, K3, K4, K5);

    private ReportFixture() {
    }

    private static CostEvent.Builder llm(String provider, String model, long in, long out, long micros, String at) {
        return CostEvent.builder().eventType(CostEvent.Type.LLM).provider(provider).model(model)
                .inputTokens(in).outputTokens(out).costMicrodollars(micros).createdAt(Instant.parse(at));
    }

    /** The events as ledger lines, each ending with a newline. */
    static String lines(List<CostEvent> events) {
        return events.stream().map(e -> CostEventJson.toJson(e, true) + "\n").collect(Collectors.joining());
    }

    static Path write(Path file, List<CostEvent> events) throws IOException {
        return Files.writeString(file, lines(events));
    }

    static SpendReport report(String groupBy, Since since) throws Exception {
        SpendReport report = new SpendReport(Grouping.parse(groupBy), since);
        EVENTS.forEach(report::add);
        report.files.add("ledger.jsonl");
        return report;
    }
}
