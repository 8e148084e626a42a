package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFormatsTest {

    @Test
    void jsonIsTheContractsObjectWithGroupsHighestCostFirst() throws Exception {
        assertThat(JsonReport.render(ReportFixture.report("customer", null))).isEqualTo(
                "{\"calls\":5,\"costMicrodollars\":34280,\"groups\":["
                        + "{\"key\":\"globex\",\"calls\":2,\"costMicrodollars\":33500,\"inputTokens\":2000,\"outputTokens\":500},"
                        + "{\"key\":\"acme\",\"calls\":2,\"costMicrodollars\":780,\"inputTokens\":4000,\"outputTokens\":300},"
                        + "{\"key\":\"(none)\",\"calls\":1,\"costMicrodollars\":0,\"inputTokens\":10,\"outputTokens\":10}]}\n");
    }

    @Test
    void jsonOfNothingHasNoGroupsAndEscapesNonAscii() throws Exception {
        SpendReport empty = new SpendReport(Grouping.MODEL, null);
        assertThat(JsonReport.render(empty)).isEqualTo("{\"calls\":0,\"costMicrodollars\":0,\"groups\":[]}\n");

        SpendReport report = new SpendReport(Grouping.parse("customer"), null);
        report.add(CostEvent.builder().provider("p").model("m").customer("Zoë \"Z\"").costMicrodollars(7).build());
        assertThat(JsonReport.render(report)).isEqualTo("{\"calls\":1,\"costMicrodollars\":7,\"groups\":[{\"key\":"
                + "\"Zo\\u00EB \\\"Z\\\"\",\"calls\":1,\"costMicrodollars\":7,\"inputTokens\":0,\"outputTokens\":0}]}\n");
    }

    @Test
    void csvHasAHeaderAndOneQuotedWhereNeededLinePerGroup() throws Exception {
        assertThat(CsvReport.render(ReportFixture.report("day", null))).isEqualTo("""
                key,calls,costMicrodollars,inputTokens,outputTokens,costUsd
                2026-12-03,2,20000,10,10,0.020000
                2026-12-02,2,14010,5000,600,0.014010
                2026-12-01,1,270,1000,200,0.000270
                """);
        assertThat(CsvReport.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvReport.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvReport.quote("plain")).isEqualTo("plain");
    }

    @Test
    void textIsAnAlignedTableWithTotalAndNotes() throws Exception {
        SpendReport report = ReportFixture.report("model", Since.parse("7d", ReportFixture.NOW));
        report.skippedLines = 1;

        assertThat(TextReport.render(report, Path.of("spend.html"))).isEqualTo("""
                NullSpend spend by model, since 7d (2026-11-30 17:00 UTC)
                MODEL              CALLS  IN TOKENS  OUT TOKENS      COST
                tool:web_search        1          0           0     $0.02
                claude-sonnet-4-5      1      2,000         500   $0.0135
                gpt-4o-mini            2      4,000         300  $0.00078
                mystery-model          1         10          10     $0.00
                ---------------------------------------------------------
                TOTAL                  5      6,010         810  $0.03428
                Ledger: ledger.jsonl
                Skipped 1 unreadable line (torn or malformed)
                Estimated: 1 call, $0.0135; unpriced (counted at $0): 1 call
                HTML page: spend.html
                """);
    }

    @Test
    void textStaysWithinEightyColumnsCuttingLongKeysInTheMiddle() throws Exception {
        SpendReport report = new SpendReport(Grouping.parse("session"), null);
        String longSession = "session-" + "x".repeat(60) + "-tail";
        report.add(CostEvent.builder().provider("p").model("m").sessionId(longSession)
                .inputTokens(123_456_789).outputTokens(98_765_432).costMicrodollars(123_456_789_012L).build());
        report.files.add("ledger.jsonl");

        String text = TextReport.render(report, null);

        assertThat(text.lines().filter(l -> !l.startsWith("Ledger"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(text.lines().toList().get(2)).isEqualTo(
                "session-xxxxxxxxxxxx...xxxx-tail      1  123,456,789  98,765,432  $123456.789012");
        assertThat(text.lines().toList().get(2)).hasSize(80);
    }

    @Test
    void textShowsFortyRowsAtMostTheRestSummedInOne() throws Exception {
        SpendReport report = new SpendReport(Grouping.parse("session"), null);
        for (int i = 1; i <= 45; i++) {
            report.add(CostEvent.builder().provider("p").model("m").sessionId("s" + i).costMicrodollars(i * 1000L)
                    .inputTokens(1).outputTokens(1).createdAt(Instant.parse("2026-12-01T00:00:00Z")).build());
        }

        var lines = TextReport.render(report, null).lines().toList();

        // Headline, heading, 39 sessions (s45 … s7), the row of the 6 others, rule, total.
        assertThat(lines.get(2)).startsWith("s45 ");
        assertThat(lines.get(40)).startsWith("s7 ");
        assertThat(lines.get(41)).isEqualTo("(6 more)          6          6           6  $0.021");
        assertThat(lines.get(43)).isEqualTo("TOTAL            45         45          45  $1.035");
    }
}
