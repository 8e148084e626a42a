package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunSummaryTest {

    private static CostEvent llm(String provider, String model, long in, long out, long cached, long cost) {
        return CostEvent.builder().provider(provider).model(model).eventType(CostEvent.Type.LLM)
                .inputTokens(in).outputTokens(out).cachedInputTokens(cached).costMicrodollars(cost).build();
    }

    /** A summary that has recorded {@code events}, in order. */
    private static RunSummary summaryOf(CostEvent... events) {
        RunSummary summary = new RunSummary();
        for (CostEvent event : events) {
            summary.record(event);
        }
        return summary;
    }

    private static CostEvent tool(String name, long cost) {
        return CostEvent.builder().provider("tool").model(name).toolName(name).eventType(CostEvent.Type.TOOL)
                .costMicrodollars(cost).build();
    }

    @Test
    void rendersTheExampleFromTheBrief() {
        RunSummary summary = summaryOf(
                llm("openai", "gpt-4o-mini", 22, 3, 0, 9),
                llm("openai", "gpt-4o-mini", 22, 3, 0, 9),
                llm("openai", "gpt-4o-mini", 22, 3, 0, 8));

        assertThat(summary.render("ledger: /path/nullspend-ledger.jsonl", new Reporter.Stats(3, 3, 0, 0))).containsExactly(
                "NullSpend summary: 3 LLM calls, $0.000026 total",
                "  openai/gpt-4o-mini  3 calls   in 66   out 9   $0.000026",
                "  ledger: /path/nullspend-ledger.jsonl (3 events written, 0 dropped)");
    }

    @Test
    void theApiLineComesLast() {
        RunSummary summary = summaryOf(llm("openai", "gpt-4o-mini", 22, 3, 0, 9));

        assertThat(summary.render(null, new Reporter.Stats(1, 1, 0, 0),
                "api: https://nullspend.dev (1 sent, 0 spooled, 0 dropped, 0 retries)")).containsExactly(
                "NullSpend summary: 1 LLM call, $0.000009 total",
                "  openai/gpt-4o-mini  1 call    in 22   out 3   $0.000009",
                "  events: 1 event written, 0 dropped",
                "  api: https://nullspend.dev (1 sent, 0 spooled, 0 dropped, 0 retries)");
    }

    @Test
    void aggregatesByModelAndToolWithAlignedColumns() {
        RunSummary summary = summaryOf(
                llm("openai", "gpt-4o-mini", 22, 3, 0, 9),
                tool("web_search", 5_000),
                llm("anthropic", "claude-sonnet-4-5", 1_200, 350, 400, 6_000),
                llm("openai", "gpt-4o-mini", 22, 3, 0, 9),
                CostEvent.builder().provider("acme").model("gpu-minutes").costMicrodollars(120).build(),
                tool("web_search", 5_000),
                llm("openai", "gpt-4o-mini", 22, 3, 0, 8));

        List<String> lines = summary.render("ledger: /tmp/l.jsonl", new Reporter.Stats(7, 7, 0, 0));

        assertThat(lines).containsExactly(
                "NullSpend summary: 4 LLM calls, 2 tool calls, 1 custom cost, $0.016146 total",
                "  anthropic/claude-sonnet-4-5  1 call    in 1,200   out 350   cached 400   $0.006   ",
                "  openai/gpt-4o-mini           3 calls   in    66   out   9   cached   0   $0.000026",
                "  tool web_search              2 calls                                     $0.01    ",
                "  custom acme/gpu-minutes      1 call    in     0   out   0   cached   0   $0.00012 ",
                "  ledger: /tmp/l.jsonl (7 events written, 0 dropped)");
    }

    @Test
    void everyAmountKeepsItsDigitsAlignedOnTheDecimalPointAndDropsAndFailuresInTheFooter() {
        RunSummary summary = summaryOf(
                llm("openai", "gpt-4o", 400_000, 100_000, 0, 2_000_000),
                llm("openai", "gpt-4o-mini", 1_000, 100, 0, 210));

        List<String> lines = summary.render(null, new Reporter.Stats(4, 1, 2, 3));

        assertThat(lines).containsExactly(
                "NullSpend summary: 2 LLM calls, $2.00021 total",
                "  openai/gpt-4o       1 call    in 400,000   out 100,000   $2.00   ",
                "  openai/gpt-4o-mini  1 call    in   1,000   out     100   $0.00021",
                "  events: 1 event written, 2 dropped, 3 failed writes");
    }

    @Test
    void emptyRun() {
        assertThat(new RunSummary().render("ledger: /tmp/l.jsonl", new Reporter.Stats(0, 0, 0, 0))).containsExactly(
                "NullSpend summary: no costs recorded",
                "  ledger: /tmp/l.jsonl (0 events written, 0 dropped)");
        assertThat(new RunSummary().render(null, null)).containsExactly("NullSpend summary: no costs recorded");
    }

    @Test
    void theHeadlineEndsWithTheTrafficNotCosted() {
        assertThat(new RunSummary().render(null, null, null, 3)).containsExactly(
                "NullSpend summary: no costs recorded, 3 not costed");
        RunSummary summary = summaryOf(llm("openai", "gpt-4o-mini", 100, 10, 0, 250));
        assertThat(summary.render(null, null, null, 1_234).get(0))
                .isEqualTo("NullSpend summary: 1 LLM call, $0.00025 total, 1,234 not costed");
        assertThat(summary.render(null, null, null, 0).get(0)).isEqualTo("NullSpend summary: 1 LLM call, $0.00025 total");
    }

    @Test
    void onlyToolsHasNoTokenColumns() {
        RunSummary summary = summaryOf(
                tool("web_search", 20_000),
                tool("fetch", 1_000));

        assertThat(summary.render(null, null)).containsExactly(
                "NullSpend summary: 2 tool calls, $0.021 total",
                "  tool web_search  1 call    $0.02 ",
                "  tool fetch       1 call    $0.001");
    }

    @Test
    void recordingIsThreadSafe() throws InterruptedException {
        RunSummary summary = new RunSummary();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    summary.record(llm("openai", "gpt-4o-mini", 10, 1, 2, 3));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(summary.render(null, null)).containsExactly(
                "NullSpend summary: 8,000 LLM calls, $0.024 total",
                "  openai/gpt-4o-mini  8,000 calls   in 80,000   out 8,000   cached 16,000   $0.024");
    }

    @Test
    void distinctRowsAreBoundedByFoldingIntoOther() {
        RunSummary summary = new RunSummary();
        for (int i = 0; i < RunSummary.MAX_ROWS + 5; i++) {
            summary.record(llm("openai", "model-" + i, 1, 1, 0, 1));
        }

        List<String> lines = summary.render(null, null);

        assertThat(lines).hasSize(1 + RunSummary.MAX_ROWS + 1);
        assertThat(lines.get(0)).isEqualTo("NullSpend summary: 205 LLM calls, $0.000205 total");
        assertThat(lines).anyMatch(line -> line.startsWith("  " + RunSummary.OTHER) && line.contains("5 calls"));
    }
}
