package dev.nullspend.agent.cli.report;

import dev.nullspend.api.Money;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's chart: cost per UTC day as an inline SVG of stacked bars, one colour per model (the
 * costliest {@value #COLOURED_MODELS}; the others share grey), at most {@value #MAX_DAYS} days (the
 * last ones). Every bar segment carries its day, model and microdollars as data attributes and a
 * tooltip.
 */
final class DailyChart {
    static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    };
    static final String OTHER_COLOUR = "#bab0ac";
    static final int COLOURED_MODELS = PALETTE.length;
    static final int MAX_DAYS = 92;

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 340;
    private static final int LEFT = 84;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 36;
    private static final int X_LABELS = 12;

    /** A model of the legend, with its colour and its cost over the whole period. */
    record Series(String label, String colour, long costMicros, long calls) {
    }

    final List<Series> series = new ArrayList<>();
    final LocalDate first;
    final LocalDate last;
    /** Cost and calls per day (index from {@link #first}) and series. */
    private final long[][] cost;
    private final long[][] calls;
    boolean cutToLastDays;

    /** @param today the last day shown when the report has a {@code --since} (an empty end is news too) */
    DailyChart(SpendReport report, LocalDate today) {
        LocalDate start = report.since() != null ? report.since().from().atZone(ZoneOffset.UTC).toLocalDate() : report.firstDay;
        LocalDate end = report.since() != null && (report.lastDay == null || today.isAfter(report.lastDay)) ? today : report.lastDay;
        if (start == null || end == null || end.isBefore(start)) {
            start = end = today;
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            start = end.minusDays(MAX_DAYS - 1);
            cutToLastDays = true;
        }
        first = start;
        last = end;
        Map<String, Integer> seriesOf = new HashMap<>();
        List<Group> models = report.models.sorted(k -> k);
        long otherCost = 0;
        long otherCalls = 0;
        for (Group m : models) {
            if (series.size() < COLOURED_MODELS && !m.key().equals(GroupTable.OTHER)) {
                seriesOf.put(m.key(), series.size());
                series.add(new Series(m.key(), PALETTE[series.size()], m.costMicrodollars(), m.calls()));
            } else {
                otherCost += m.costMicrodollars();
                otherCalls += m.calls();
            }
        }
        if (otherCalls > 0) {
            series.add(new Series("other models", OTHER_COLOUR, otherCost, otherCalls));
        }
        int days = (int) ChronoUnit.DAYS.between(first, last) + 1;
        cost = new long[days][series.size()];
        calls = new long[days][series.size()];
        report.dayModel.rows().forEach((cell, totals) -> {
            long d = ChronoUnit.DAYS.between(first, cell.day());
            if (d >= 0 && d < days) {
                int s = seriesOf.getOrDefault(cell.model(), series.size() - 1);
                cost[(int) d][s] += totals.costMicros;
                calls[(int) d][s] += totals.calls;
            }
        });
    }

    int days() {
        return cost.length;
    }

    String svg() {
        long max = 0;
        for (long[] day : cost) {
            long sum = 0;
            for (long c : day) {
                sum += c;
            }
            max = Math.max(max, sum);
        }
        long step = niceStep(Math.max(1, (max + 4) / 5));
        long top = Math.max(step, (max + step - 1) / step * step);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"cost-per-day\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Cost per day by model\">\n");
        for (long tick = 0; tick <= top; tick += step) {
            double y = TOP + plotH - (double) tick / top * plotH;
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(Money.usd(tick)).append("</text>\n");
        }
        double slot = (double) plotW / days();
        double barW = Math.max(1, slot * 0.76);
        int labelEvery = (days() + X_LABELS - 1) / X_LABELS;
        for (int d = 0; d < days(); d++) {
            LocalDate day = first.plusDays(d);
            double x = LEFT + d * slot + (slot - barW) / 2;
            double base = TOP + plotH;
            for (int s = 0; s < series.size(); s++) {
                long c = cost[d][s];
                if (c == 0 && calls[d][s] == 0) {
                    continue;
                }
                double h = (double) c / top * plotH;
                if (c > 0 && h < 1) {
                    h = 1;
                }
                base -= h;
                Series ser = series.get(s);
                sb.append("<rect class=\"bar\" x=\"").append(f(x)).append("\" y=\"").append(f(base))
                        .append("\" width=\"").append(f(barW)).append("\" height=\"").append(f(h))
                        .append("\" fill=\"").append(ser.colour()).append("\" data-day=\"").append(day)
                        .append("\" data-model=\"").append(Html.escape(ser.label())).append("\" data-cost=\"").append(c)
                        .append("\" data-calls=\"").append(calls[d][s]).append("\"><title>")
                        .append(day).append(' ').append(Html.escape(ser.label())).append(": ").append(Money.usd(c))
                        .append(", ").append(TextReport.count(calls[d][s], "call")).append("</title></rect>\n");
            }
            if (d % labelEvery == 0) {
                sb.append("<text class=\"axis\" x=\"").append(f(LEFT + d * slot + slot / 2)).append("\" y=\"")
                        .append(HEIGHT - BOTTOM + 18).append("\" text-anchor=\"middle\">")
                        .append(day.toString().substring(5)).append("</text>\n");
            }
        }
        sb.append("<line class=\"baseline\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(TOP + plotH).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}: axis ticks people can read. */
    static long niceStep(long rough) {
        long power = 1;
        while (power * 10 <= rough) {
            power *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
