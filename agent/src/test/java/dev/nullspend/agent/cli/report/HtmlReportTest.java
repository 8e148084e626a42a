package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {

    private static final Pattern RECT = Pattern.compile("<rect class=\"bar\"[^>]*data-day=\"([^\"]+)\" data-model=\"([^\"]+)\""
            + " data-cost=\"([0-9]+)\" data-calls=\"([0-9]+)\"");

    @TempDir
    Path dir;

    @Test
    void chartHasOneBarSegmentPerDayAndModelInTheModelsColour() throws Exception {
        String page = HtmlReport.render(ReportFixture.report("model", null), ReportFixture.NOW);

        List<String> segments = segments(page);
        assertThat(segments).containsExactlyInAnyOrder(
                "2026-12-01 gpt-4o-mini 270 1",
                "2026-12-02 gpt-4o-mini 510 1",
                "2026-12-02 claude-sonnet-4-5 13500 1",
                "2026-12-03 mystery-model 0 1",
                "2026-12-03 tool:web_search 20000 1");
        // Colours by cost, highest first: the legend says which is which.
        assertThat(page).contains("fill=\"#4e79a7\" data-day=\"2026-12-03\" data-model=\"tool:web_search\"")
                .contains("fill=\"#f28e2b\" data-day=\"2026-12-02\" data-model=\"claude-sonnet-4-5\"")
                .contains("fill=\"#e15759\" data-day=\"2026-12-01\" data-model=\"gpt-4o-mini\"")
                .contains("<span class=\"swatch\" style=\"background:#4e79a7\"></span>tool:web_search <b>$0.02</b> (1 call)");
        // The y axis ends at a round amount above the highest day ($0.02): ticks of $0.005.
        assertThat(page).contains(">$0.00</text>").contains(">$0.005</text>").contains(">$0.02</text>")
                .doesNotContain(">$0.025</text>");
    }

    @Test
    void cardsSharesTopTablesAndDenials() throws Exception {
        String page = HtmlReport.render(ReportFixture.report("model", null), ReportFixture.NOW);

        assertThat(page).contains("id=\"total-cost\">$0.03428<").contains("id=\"total-calls\">5<")
                .contains("id=\"total-input\">6,010<").contains("id=\"total-output\">810<");
        assertThat(page).contains("id=\"share-estimated\" x=\"0\" y=\"0\" width=\"118.1\" height=\"24\" fill=\"#f28e2b\""
                        + " data-part=\"13500\" data-whole=\"34280\"")
                .contains("Estimated: 1 call, $0.0135 = 39.4% of the cost")
                .contains("id=\"share-unpriced\" x=\"0\" y=\"40\" width=\"60.0\" height=\"24\" fill=\"#e15759\""
                        + " data-part=\"1\" data-whole=\"5\"")
                .contains("Unpriced: 1 call = 20.0% of the calls");
        assertThat(page).contains("<td class=\"key\" title=\"s2\">s2</td><td class=\"num\">2</td><td class=\"num\" data-cost=\"33500\">$0.0335</td>")
                .contains("title=\"globex\">globex</td><td class=\"num\">2</td><td class=\"num\" data-cost=\"33500\">")
                .contains("title=\"team=search\">team=search</td><td class=\"num\">2</td><td class=\"num\" data-cost=\"780\">");
        assertThat(page).contains("<tr><td class=\"key\">budget_exceeded</td><td class=\"num\">1</td><td class=\"num\">$0.00</td></tr>")
                .contains("<p id=\"soft-blocked\">1 call ($0.02) went past a <code>soft_block</code> budget")
                .contains("Calls the agent denied are not in the ledger");
    }

    @Test
    void tableBarsAreRelativeToTheCostliestRowAndTheSummedRowHasNone() throws Exception {
        String page = HtmlReport.render(ReportFixture.report("model", null), ReportFixture.NOW);
        assertThat(page).contains("title=\"s2\">s2</td><td class=\"num\">2</td><td class=\"num\" data-cost=\"33500\">$0.0335</td>"
                        + "<td class=\"barcell\"><div class=\"bar\" style=\"width:100.0%\">")
                .contains("title=\"s1\">s1</td><td class=\"num\">2</td><td class=\"num\" data-cost=\"780\">$0.00078</td>"
                        + "<td class=\"barcell\"><div class=\"bar\" style=\"width:2.3%\">");

        SpendReport many = new SpendReport(Grouping.MODEL, null);
        for (int i = 1; i <= 12; i++) {
            many.add(CostEvent.builder().provider("p").model("m").sessionId("s" + i).costMicrodollars(i * 10L).build());
        }
        assertThat(HtmlReport.render(many, ReportFixture.NOW))
                .contains("title=\"s12\">s12</td><td class=\"num\">1</td><td class=\"num\" data-cost=\"120\">$0.00012</td>"
                        + "<td class=\"barcell\"><div class=\"bar\" style=\"width:100.0%\">")
                .contains("title=\"(3 more)\">(3 more)</td><td class=\"num\">3</td><td class=\"num\" data-cost=\"60\">$0.00006</td>"
                        + "<td class=\"barcell\"><div class=\"bar\" style=\"width:0.0%\">");
    }

    @Test
    void selfContainedAndEscapesWhatTheLedgerSays() throws Exception {
        SpendReport report = new SpendReport(Grouping.parse("customer"), null);
        report.add(CostEvent.builder().provider("p").model("<img src=x onerror=alert(1)>").customer("<script>alert(1)</script>")
                .costMicrodollars(5).build());

        String page = HtmlReport.render(report, ReportFixture.NOW);

        assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("<link")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        // The only URL is the SVG namespace's name, never fetched.
        assertThat(Pattern.compile("https?://").matcher(page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).find()).isFalse();
    }

    @Test
    void aPeriodOfManyDaysDrawsTheLastNinetyTwo() throws Exception {
        SpendReport report = ReportFixture.report("model", Since.parse("365d", ReportFixture.NOW));

        DailyChart chart = new DailyChart(report, ReportFixture.NOW.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate());

        assertThat(chart.days()).isEqualTo(92);
        assertThat(chart.last).hasToString("2026-12-07");
        assertThat(chart.first).hasToString("2026-09-07");
        assertThat(chart.cutToLastDays).isTrue();
        assertThat(DailyChart.niceStep(1)).isEqualTo(1);
        assertThat(DailyChart.niceStep(3_001)).isEqualTo(5_000);
        assertThat(DailyChart.niceStep(20_000)).isEqualTo(20_000);
        assertThat(DailyChart.niceStep(20_001)).isEqualTo(50_000);
    }

    @Test
    void pageIsWrittenOwnerOnly() throws Exception {
        Path page = dir.resolve("out/spend.html");

        HtmlReport.write(ReportFixture.report("model", null), page, ReportFixture.NOW);

        assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("rw-------");
    }

    private static List<String> segments(String page) {
        Matcher m = RECT.matcher(page);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
        }
        return out;
    }
}
