package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

    /**
     * The groups of each grouping ({@code /cli/report/groups.csv}), in the report's order: tools by their name
     * (by model) or as provider {@code tool}, UTC days, and events without a session, customer or tag in
     * {@code (none)}.
     */
    @ParameterizedTest(name = "by {0}")
    @MethodSource("groupings")
    void groupsEveryEventInOrder(String groupBy, List<Group> expected) throws Exception {
        assertThat(ReportFixture.report(groupBy, null).groups()).containsExactlyElementsOf(expected);
    }

    /** The rows of {@code groups.csv} (group-by | key | calls | µ$ | input | output), per grouping in file order. */
    static Stream<Arguments> groupings() throws IOException {
        Map<String, List<Group>> groups = new LinkedHashMap<>();
        try (InputStream in = SpendReportTest.class.getResourceAsStream("/cli/report/groups.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            for (String line : lines) {
                String[] f = line.split("\\|");
                groups.computeIfAbsent(f[0].trim(), k -> new ArrayList<>()).add(new Group(f[1].trim(),
                        Long.parseLong(f[2].trim()), Long.parseLong(f[3].trim()), Long.parseLong(f[4].trim()),
                        Long.parseLong(f[5].trim())));
            }
        }
        return groups.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
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
