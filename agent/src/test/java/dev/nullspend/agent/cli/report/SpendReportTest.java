package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class SpendReportTest {

    @Test
    void totalsOfEveryEvent() throws Exception {
        SpendReport report = ReportFixture.report("model", null);

        assertThat(report.calls()).isEqualTo(5);
        assertThat(report.costMicrodollars()).isEqualTo(34_280);
        assertThat(report.inputTokens()).isEqualTo(6_010);
        assertThat(report.outputTokens()).isEqualTo(810);
        assertThat(report.beforePeriod()).isZero();
    }

    @Test
    void byModelWithToolsByTheirName() throws Exception {
        assertThat(ReportFixture.report("model", null).groups()).containsExactly(
                new Group("tool:web_search", 1, 20_000, 0, 0),
                new Group("claude-sonnet-4-5", 1, 13_500, 2_000, 500),
                new Group("gpt-4o-mini", 2, 780, 4_000, 300),
                new Group("mystery-model", 1, 0, 10, 10));
    }

    @Test
    void byProvider() throws Exception {
        assertThat(ReportFixture.report("provider", null).groups()).containsExactly(
                new Group("tool", 1, 20_000, 0, 0),
                new Group("anthropic", 1, 13_500, 2_000, 500),
                new Group("openai", 3, 780, 4_010, 310));
    }

    @Test
    void byUtcDay() throws Exception {
        assertThat(ReportFixture.report("day", null).groups()).containsExactly(
                new Group("2026-12-03", 2, 20_000, 10, 10),
                new Group("2026-12-02", 2, 14_010, 5_000, 600),
                new Group("2026-12-01", 1, 270, 1_000, 200));
    }

    @Test
    void bySessionCustomerAndTagWithEventsWithoutOneInNone() throws Exception {
        assertThat(ReportFixture.report("session", null).groups()).containsExactly(
                new Group("s2", 2, 33_500, 2_000, 500),
                new Group("s1", 2, 780, 4_000, 300),
                new Group("(none)", 1, 0, 10, 10));
        assertThat(ReportFixture.report("customer", null).groups()).containsExactly(
                new Group("globex", 2, 33_500, 2_000, 500),
                new Group("acme", 2, 780, 4_000, 300),
                new Group("(none)", 1, 0, 10, 10));
        assertThat(ReportFixture.report("tag:team", null).groups()).containsExactly(
                new Group("chat", 2, 33_500, 2_000, 500),
                new Group("search", 2, 780, 4_000, 300),
                new Group("(none)", 1, 0, 10, 10));
        assertThat(ReportFixture.report("tag:_ns_dry_run", null).groups()).containsExactly(
                new Group("(none)", 4, 34_280, 6_000, 800),
                new Group("budget_exceeded", 1, 0, 10, 10));
    }

    @Test
    void sinceLeavesOutOlderEventsAndCountsThem() throws Exception {
        SpendReport report = ReportFixture.report("day", Since.parse("2026-12-02", ReportFixture.NOW));

        assertThat(report.calls()).isEqualTo(4);
        assertThat(report.costMicrodollars()).isEqualTo(34_010);
        assertThat(report.beforePeriod()).isEqualTo(1);
        assertThat(report.groups()).extracting(Group::key).containsExactly("2026-12-03", "2026-12-02");
        assertThat(report.firstDay).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(report.lastDay).isEqualTo(LocalDate.parse("2026-12-03"));
    }

    @Test
    void estimatedUnpricedDryRunAndSoftBlockedFromTheAgentsTags() throws Exception {
        SpendReport report = ReportFixture.report("model", null);

        assertThat(report.estimated.calls).isEqualTo(1);
        assertThat(report.estimated.costMicros).isEqualTo(13_500);
        assertThat(report.unpriced.calls).isEqualTo(1);
        assertThat(report.unpriced.costMicros).isZero();
        assertThat(report.softBlocked.calls).isEqualTo(1);
        assertThat(report.softBlocked.costMicros).isEqualTo(20_000);
        assertThat(report.dryRunDenials.sorted(k -> k)).containsExactly(new Group("budget_exceeded", 1, 0, 10, 10));
    }

    @Test
    void pageTablesLeaveOutEventsWithoutTheKeyAndTheAgentsOwnTags() throws Exception {
        SpendReport report = ReportFixture.report("model", null);

        assertThat(report.sessions.sorted(k -> k)).extracting(Group::key).containsExactly("s2", "s1");
        assertThat(report.customers.sorted(k -> k)).extracting(Group::key).containsExactly("globex", "acme");
        assertThat(report.tags.sorted(k -> k)).containsExactly(
                new Group("team=chat", 2, 33_500, 2_000, 500),
                new Group("team=search", 2, 780, 4_000, 300));
        assertThat(report.dayModel.rows()).hasSize(5);
        assertThat(report.dayModel.rows().get(new SpendReport.DayModel(LocalDate.parse("2026-12-02"), "gpt-4o-mini")).costMicros)
                .isEqualTo(510);
    }

    @Test
    void keysBeyondTheBoundAreSummedInOtherAndEveryRowStaysExact() throws Exception {
        SpendReport report = new SpendReport(Grouping.parse("session"), null, 2);
        for (int i = 0; i < 10; i++) {
            // Sessions a, b, c, d, e in turn, twice: a and b have rows, c, d and e go to (other).
            report.add(CostEvent.builder().provider("openai").model("m").inputTokens(1).outputTokens(2)
                    .costMicrodollars(100 + i).sessionId(String.valueOf((char) ('a' + i % 5)))
                    .createdAt(Instant.parse("2026-12-01T00:00:00Z")).build());
        }

        assertThat(report.groups()).containsExactly(
                new Group("(other)", 6, 102 + 103 + 104 + 107 + 108 + 109, 6, 12),
                new Group("b", 2, 101 + 106, 2, 4),
                new Group("a", 2, 100 + 105, 2, 4));
        assertThat(report.groups.overflowCalls()).isEqualTo(6);
        assertThat(report.costMicrodollars()).isEqualTo(1_045);
    }

    @Test
    void equalCostsAreOrderedByCallsThenKey() {
        GroupTable<String> table = new GroupTable<>(10);
        CostEvent ten = CostEvent.builder().provider("p").model("m").costMicrodollars(10).build();
        CostEvent five = CostEvent.builder().provider("p").model("m").costMicrodollars(5).build();
        table.add("z", ten);
        table.add("y", five);
        table.add("y", five);
        table.add("b", ten);

        assertThat(table.sorted(k -> k)).extracting(Group::key).containsExactly("y", "b", "z");
    }
}
