package dev.nullspend.agent.cli.report;

import dev.nullspend.api.Money;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --format text}: a table for a terminal, at most {@value #WIDTH} columns wide (a long key
 * is cut in its middle), at most {@value #MAX_ROWS} rows (the rest summed in one row), then a few
 * lines on what was left out. ASCII only, except what the keys hold.
 */
final class TextReport {
    static final int WIDTH = 80;
    static final int MAX_ROWS = 40;
    private static final int MIN_KEY_WIDTH = 12;
    private static final String[] HEADINGS = {"CALLS", "IN TOKENS", "OUT TOKENS", "COST"};
    static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private TextReport() {
    }

    static String render(SpendReport report, Path html) {
        List<Group> rows = shown(report.groups(), MAX_ROWS);
        Group total = new Group("TOTAL", report.calls(), report.costMicrodollars(), report.inputTokens(), report.outputTokens());
        List<String[]> cells = new ArrayList<>(rows.size() + 1);
        for (Group g : rows) {
            cells.add(cells(g));
        }
        String[] totalCells = cells(total);
        int[] widths = new int[HEADINGS.length];
        int numbers = 0;
        for (int c = 0; c < widths.length; c++) {
            widths[c] = HEADINGS[c].length();
            for (String[] row : cells) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
            widths[c] = Math.max(widths[c], totalCells[c].length());
            numbers += 2 + widths[c];
        }
        int keyWidth = report.grouping().title().length();
        for (Group g : rows) {
            keyWidth = Math.max(keyWidth, g.key().length());
        }
        keyWidth = Math.max(MIN_KEY_WIDTH, Math.min(keyWidth, WIDTH - numbers));

        StringBuilder sb = new StringBuilder();
        sb.append("NullSpend spend by ").append(report.grouping().name());
        if (report.since() != null) {
            sb.append(", since ").append(report.since().text()).append(" (")
                    .append(MINUTE.format(report.since().from())).append(')');
        }
        sb.append('\n');
        line(sb, report.grouping().title(), HEADINGS, keyWidth, widths);
        for (int i = 0; i < rows.size(); i++) {
            line(sb, rows.get(i).key(), cells.get(i), keyWidth, widths);
        }
        sb.append("-".repeat(keyWidth + numbers)).append('\n');
        line(sb, total.key(), totalCells, keyWidth, widths);
        for (String note : notes(report, html)) {
            sb.append(note).append('\n');
        }
        return sb.toString();
    }

    /** What a reader must know besides the table: files read, lines skipped, events left out, shares. */
    static List<String> notes(SpendReport report, Path html) {
        List<String> notes = new ArrayList<>();
        notes.add("Ledger" + (report.files.size() == 1 ? "" : "s") + ": " + String.join(", ", report.files));
        if (report.skippedLines() > 0) {
            notes.add("Skipped " + count(report.skippedLines(), "unreadable line") + " (torn or malformed)");
        }
        if (report.duplicates() > 0) {
            notes.add("Skipped " + count(report.duplicates(), "duplicate event") + " (a batch written twice)");
        }
        if (report.beforePeriod() > 0) {
            notes.add("Left out " + count(report.beforePeriod(), "event") + " before the period");
        }
        if (report.estimated.calls > 0 || report.unpriced.calls > 0) {
            notes.add("Estimated: " + count(report.estimated.calls, "call") + ", " + Money.usd(report.estimated.costMicros)
                    + "; unpriced (counted at $0): " + count(report.unpriced.calls, "call"));
        }
        if (report.groups.overflowCalls() > 0) {
            notes.add(GroupTable.OTHER + ": " + count(report.groups.overflowCalls(), "event") + " of keys beyond the first "
                    + String.format(Locale.ROOT, "%,d", report.groups.rows().size()));
        }
        if (html != null) {
            notes.add("HTML page: " + html);
        }
        return notes;
    }

    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d", n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** The first rows, and the rest summed in one row when there are more than {@code maxRows}. */
    static List<Group> shown(List<Group> all, int maxRows) {
        if (all.size() <= maxRows) {
            return all;
        }
        List<Group> shown = new ArrayList<>(all.subList(0, maxRows - 1));
        long calls = 0;
        long cost = 0;
        long input = 0;
        long output = 0;
        for (Group g : all.subList(maxRows - 1, all.size())) {
            calls += g.calls();
            cost += g.costMicrodollars();
            input += g.inputTokens();
            output += g.outputTokens();
        }
        shown.add(new Group("(" + (all.size() - maxRows + 1) + " more)", calls, cost, input, output));
        return shown;
    }

    private static String[] cells(Group g) {
        return new String[] {
            String.format(Locale.ROOT, "%,d", g.calls()),
            String.format(Locale.ROOT, "%,d", g.inputTokens()),
            String.format(Locale.ROOT, "%,d", g.outputTokens()),
            Money.usd(g.costMicrodollars()),
        };
    }

    private static void line(StringBuilder sb, String key, String[] cells, int keyWidth, int[] widths) {
        String k = fit(key, keyWidth);
        sb.append(k).append(" ".repeat(keyWidth - k.length()));
        for (int c = 0; c < cells.length; c++) {
            sb.append("  ").append(" ".repeat(widths[c] - cells[c].length())).append(cells[c]);
        }
        sb.append('\n');
    }

    /** The key, cut in its middle to {@code width} characters when longer (ids differ at both ends). */
    static String fit(String key, int width) {
        if (key.length() <= width) {
            return key;
        }
        int tail = (width - 3) / 3;
        return key.substring(0, width - 3 - tail) + "..." + key.substring(key.length() - tail);
    }
}
