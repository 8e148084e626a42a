package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.report.OwnerOnlyFiles;
import dev.nullspend.api.Money;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --html FILE}: one self-contained page (inline CSS and SVG, no script, no link to
 * anything) that opens without a network: cost per day stacked by model, the costliest
 * sessions, customers and tags, the estimated and unpriced shares, and the calls dry-run would
 * have denied. Created owner-only like the ledger it summarises (it names customers and tags).
 */
final class HtmlReport {
    static final int TOP = 10;
    private static final String ESTIMATED_COLOUR = "#f28e2b";
    private static final String UNPRICED_COLOUR = "#e15759";

    private HtmlReport() {
    }

    static void write(SpendReport report, Path file, Clock clock) throws IOException {
        byte[] page = render(report, clock).getBytes(StandardCharsets.UTF_8);
        OwnerOnlyFiles.createParents(file);
        try (FileChannel ch = OwnerOnlyFiles.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
            ByteBuffer buf = ByteBuffer.wrap(page);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    static String render(SpendReport report, Clock clock) {
        DailyChart chart = new DailyChart(report, clock.instant().atZone(ZoneOffset.UTC).toLocalDate());
        StringBuilder sb = new StringBuilder(32 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>NullSpend spend</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>NullSpend spend</h1>\n<p class=\"sub\">");
        if (report.since() != null) {
            sb.append("Since ").append(Html.escape(report.since().text())).append(" (")
                    .append(TextReport.MINUTE.format(report.since().from())).append(")");
        } else {
            sb.append("The whole ledger");
        }
        sb.append(" &middot; made ").append(TextReport.MINUTE.format(clock.instant())).append("</p>\n");

        sb.append("<div class=\"cards\">\n");
        card(sb, "total-cost", "Cost", Money.usd(report.costMicrodollars()));
        card(sb, "total-calls", "Calls", number(report.calls()));
        card(sb, "total-input", "Input tokens", number(report.inputTokens()));
        card(sb, "total-output", "Output tokens", number(report.outputTokens()));
        sb.append("</div>\n");

        sb.append("<section>\n<h2>Cost per day (UTC), by model</h2>\n");
        if (chart.cutToLastDays) {
            sb.append("<p class=\"note\">The last ").append(DailyChart.MAX_DAYS)
                    .append(" days of the period; the tables count all of it.</p>\n");
        }
        if (report.dayModel.overflowCalls() > 0) {
            sb.append("<p class=\"note\">").append(TextReport.count(report.dayModel.overflowCalls(), "call"))
                    .append(" of days and models beyond the chart's bound are not drawn.</p>\n");
        }
        sb.append(chart.svg());
        sb.append("<ul class=\"legend\">\n");
        for (DailyChart.Series s : chart.series) {
            sb.append("<li><span class=\"swatch\" style=\"background:").append(s.colour()).append("\"></span>")
                    .append(Html.escape(s.label())).append(" <b>").append(Money.usd(s.costMicros())).append("</b> (")
                    .append(TextReport.count(s.calls(), "call")).append(")</li>\n");
        }
        sb.append("</ul>\n</section>\n");

        shares(sb, report);

        sb.append("<div class=\"columns\">\n");
        table(sb, "top-sessions", "Top sessions", "session", report.sessions.sorted(k -> k));
        table(sb, "top-customers", "Top customers", "customer", report.customers.sorted(k -> k));
        table(sb, "top-tags", "Top tags", "tag", report.tags.sorted(k -> k));
        table(sb, "groups", "By " + report.grouping().name(), report.grouping().name(), report.groups());
        sb.append("</div>\n");

        denials(sb, report);

        sb.append("<section>\n<h2>What was read</h2>\n<ul class=\"notes\">\n");
        for (String note : TextReport.notes(report, null)) {
            sb.append("<li>").append(Html.escape(note)).append("</li>\n");
        }
        sb.append("</ul>\n</section>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void card(StringBuilder sb, String id, String label, String value) {
        sb.append("<div class=\"card\"><div class=\"label\">").append(label).append("</div><div class=\"value\" id=\"")
                .append(id).append("\">").append(value).append("</div></div>\n");
    }

    /** Estimated cost (no usage read: the call was billed at its estimate) and unpriced calls (unknown model: $0). */
    private static void shares(StringBuilder sb, SpendReport report) {
        sb.append("<section>\n<h2>Estimated and unpriced</h2>\n");
        sb.append("<svg id=\"shares\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1100 76\" width=\"1100\" height=\"76\">\n");
        shareBar(sb, 0, "estimated", ESTIMATED_COLOUR, report.estimated.costMicros, report.costMicrodollars(),
                "Estimated: " + TextReport.count(report.estimated.calls, "call") + ", "
                        + Money.usd(report.estimated.costMicros) + " = " + percent(report.estimated.costMicros, report.costMicrodollars())
                        + " of the cost (tag _ns_estimated: usage not read, billed at the estimate)");
        shareBar(sb, 40, "unpriced", UNPRICED_COLOUR, report.unpriced.calls, report.calls(),
                "Unpriced: " + TextReport.count(report.unpriced.calls, "call") + " = "
                        + percent(report.unpriced.calls, report.calls()) + " of the calls (tag _ns_unpriced: unknown model, counted at $0)");
        sb.append("</svg>\n</section>\n");
    }

    private static void shareBar(StringBuilder sb, int y, String id, String colour, long part, long whole, String text) {
        double w = whole <= 0 ? 0 : 300.0 * part / whole;
        sb.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"300\" height=\"24\" fill=\"#eeeeee\"/>")
                .append("<rect id=\"share-").append(id).append("\" x=\"0\" y=\"").append(y).append("\" width=\"")
                .append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"24\" fill=\"").append(colour)
                .append("\" data-part=\"").append(part).append("\" data-whole=\"").append(whole).append("\"/>")
                .append("<text x=\"312\" y=\"").append(y + 17).append("\">").append(Html.escape(text)).append("</text>\n");
    }

    private static void table(StringBuilder sb, String id, String title, String what, List<Group> rows) {
        sb.append("<section class=\"top\">\n<h2>").append(Html.escape(title)).append("</h2>\n");
        if (rows.isEmpty()) {
            sb.append("<p class=\"note\" id=\"").append(id).append("\">No calls with a ").append(Html.escape(what))
                    .append(".</p>\n</section>\n");
            return;
        }
        sb.append("<table id=\"").append(id).append("\">\n<tr><th>").append(Html.escape(what))
                .append("</th><th>calls</th><th>cost</th><th></th></tr>\n");
        List<Group> shown = TextReport.shown(rows, TOP);
        // Bars relative to the costliest row (the first), so that small shares still read; the
        // row that sums the rest gets none.
        long widest = rows.get(0).costMicrodollars();
        for (int i = 0; i < shown.size(); i++) {
            Group g = shown.get(i);
            boolean summed = shown.size() < rows.size() && i == shown.size() - 1;
            double share = widest <= 0 || summed ? 0 : 100.0 * g.costMicrodollars() / widest;
            sb.append("<tr><td class=\"key\" title=\"").append(Html.escape(g.key())).append("\">").append(Html.escape(g.key()))
                    .append("</td><td class=\"num\">").append(number(g.calls())).append("</td><td class=\"num\" data-cost=\"")
                    .append(g.costMicrodollars()).append("\">").append(Money.usd(g.costMicrodollars()))
                    .append("</td><td class=\"barcell\"><div class=\"bar\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", Math.min(100, share))).append("%\"></div></td></tr>\n");
        }
        sb.append("</table>\n</section>\n");
    }

    /** Denied calls never reach the ledger (nothing is sent, no cost event); dry-run's would-be denials do. */
    private static void denials(StringBuilder sb, SpendReport report) {
        sb.append("<section>\n<h2>Denials</h2>\n<p class=\"note\" id=\"denials-note\">Calls the agent denied are not in the ledger:"
                + " a denial stops the call before anything is sent, so no cost event is written (the agent logs the"
                + " first denial of each kind). Calls that <code>nullspend.enforcement=dry-run</code> let through but would"
                + " have denied are here, tagged <code>_ns_dry_run</code> with the denial's code.</p>\n");
        List<Group> dryRun = report.dryRunDenials.sorted(k -> k);
        if (dryRun.isEmpty()) {
            sb.append("<p id=\"dry-run\">No dry-run denials in this period.</p>\n");
        } else {
            sb.append("<table id=\"dry-run\">\n<tr><th>would be denied with</th><th>calls</th><th>cost</th></tr>\n");
            for (Group g : dryRun) {
                sb.append("<tr><td class=\"key\">").append(Html.escape(g.key())).append("</td><td class=\"num\">")
                        .append(number(g.calls())).append("</td><td class=\"num\">").append(Money.usd(g.costMicrodollars()))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (report.softBlocked.calls > 0) {
            sb.append("<p id=\"soft-blocked\">").append(TextReport.count(report.softBlocked.calls, "call"))
                    .append(" (").append(Money.usd(report.softBlocked.costMicros))
                    .append(") went past a <code>soft_block</code> budget (tag <code>_ns_soft_block</code>).</p>\n");
        }
        sb.append("</section>\n");
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static final String CSS = """
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px auto;
                   max-width: 1120px; padding: 0 16px; background: #fff; }
            h1 { font-size: 24px; margin: 0; } h2 { font-size: 16px; margin: 24px 0 8px; }
            .sub, .note { color: #666; } code { background: #f3f3f3; padding: 0 3px; }
            .cards { display: flex; gap: 12px; margin: 16px 0; }
            .card { flex: 1; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; }
            .card .label { color: #666; font-size: 12px; } .card .value { font-size: 22px; font-weight: 600; }
            svg text { font: 12px system-ui, sans-serif; fill: #333; } svg .axis { fill: #666; }
            svg .grid { stroke: #e6e6e6; } svg .baseline { stroke: #999; }
            .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
            .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
            .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 0 32px; }
            table { border-collapse: collapse; width: 100%; table-layout: fixed; }
            th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; }
            th:nth-child(1) { width: 44%; } th:nth-child(2) { width: 14%; } th:nth-child(3) { width: 18%; }
            td.key { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .barcell .bar { height: 10px; background: #4e79a7; }
            """;
}
