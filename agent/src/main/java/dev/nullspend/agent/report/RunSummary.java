package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;
import dev.nullspend.api.Money;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals of the run's cost events for the summary printed on stderr at exit. Recording is
 * thread-safe and lock-free on the hot path (one map lookup, a few {@link LongAdder}s).
 *
 * <p>Rows are LLM (and custom) events per {@code provider/model}, tool events per tool name.
 */
public final class RunSummary {

    /** Beyond this many distinct rows, new ones are folded into one "other" row per event type. */
    static final int MAX_ROWS = 200;
    static final String OTHER = "(other)";

    private final ConcurrentHashMap<Key, Totals> rows = new ConcurrentHashMap<>();

    private record Key(CostEvent.Type type, String label) {
        // Written out: a record's own equals and hashCode go through method handles (ObjectMethods),
        // and every event is counted here on the calling thread.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && type == k.type && Objects.equals(label, k.label);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Objects.hashCode(label);
        }
    }

    private static final class Totals {
        final LongAdder calls = new LongAdder();
        final LongAdder input = new LongAdder();
        final LongAdder output = new LongAdder();
        final LongAdder cached = new LongAdder();
        final LongAdder cost = new LongAdder();
    }

    /** A consistent-enough copy of one row for rendering. */
    private record Row(CostEvent.Type type, String label, long calls, long input, long output, long cached, long cost) {
        boolean hasTokens() {
            return type != CostEvent.Type.TOOL;
        }
    }

    /** True until the first event is recorded. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void record(CostEvent event) {
        Key key = new Key(event.eventType(), labelOf(event));
        Totals totals = rows.get(key);
        if (totals == null) {
            Key target = rows.size() < MAX_ROWS ? key : new Key(event.eventType(), OTHER);
            totals = rows.computeIfAbsent(target, k -> new Totals());
        }
        totals.calls.increment();
        totals.input.add(event.inputTokens());
        totals.output.add(event.outputTokens());
        totals.cached.add(event.cachedInputTokens());
        totals.cost.add(event.costMicrodollars());
    }

    /**
     * The summary as lines without the log prefix (the caller adds {@code [nullspend] }): a
     * headline, one aligned row per model or tool, and, when given, the ledger line.
     *
     * @param ledgerDescription e.g. {@link EventSink#describe()}; null for none
     * @param stats the reporter's counters; null when there is no reporter
     */
    public List<String> render(String ledgerDescription, Reporter.Stats stats) {
        return render(ledgerDescription, stats, null);
    }

    /**
     * As {@link #render(String, Reporter.Stats)}, with the API sink's line ({@link ApiSink#summary()})
     * as a last line; null for none.
     */
    public List<String> render(String ledgerDescription, Reporter.Stats stats, String apiLine) {
        return render(ledgerDescription, stats, apiLine, 0);
    }

    /**
     * As {@link #render(String, Reporter.Stats, String)}, the headline ending with how much LLM
     * traffic was not costed (connections and calls, one line per cause after the summary).
     */
    public List<String> render(String ledgerDescription, Reporter.Stats stats, String apiLine, long notCosted) {
        List<Row> snapshot = snapshot();
        long total = 0;
        for (Row row : snapshot) {
            total += row.cost;
        }
        List<String> lines = new ArrayList<>();
        lines.add(headline(snapshot, total) + (notCosted > 0 ? ", " + number(notCosted) + " not costed" : ""));
        lines.addAll(new Table(snapshot).lines());
        String footer = footer(ledgerDescription, stats);
        if (footer != null) {
            lines.add(footer);
        }
        if (apiLine != null) {
            lines.add("  " + apiLine);
        }
        return lines;
    }

    private List<Row> snapshot() {
        List<Row> list = new ArrayList<>(rows.size());
        rows.forEach((key, t) -> list.add(new Row(key.type(), key.label(), t.calls.sum(), t.input.sum(),
                t.output.sum(), t.cached.sum(), t.cost.sum())));
        list.sort(Comparator.comparing(Row::type)
                .thenComparing(Comparator.comparingLong(Row::cost).reversed())
                .thenComparing(Row::label));
        return list;
    }

    private static String labelOf(CostEvent e) {
        if (e.eventType() == CostEvent.Type.TOOL) {
            return e.toolName() != null ? e.toolName() : e.model();
        }
        return e.provider() + "/" + e.model();
    }

    private static String headline(List<Row> rows, long total) {
        if (rows.isEmpty()) {
            return "NullSpend summary: no costs recorded";
        }
        long[] counts = new long[CostEvent.Type.values().length];
        for (Row row : rows) {
            counts[row.type.ordinal()] += row.calls;
        }
        List<String> parts = new ArrayList<>();
        addCount(parts, counts[CostEvent.Type.LLM.ordinal()], "LLM call", "LLM calls");
        addCount(parts, counts[CostEvent.Type.TOOL.ordinal()], "tool call", "tool calls");
        addCount(parts, counts[CostEvent.Type.CUSTOM.ordinal()], "custom cost", "custom costs");
        return "NullSpend summary: " + String.join(", ", parts) + ", " + Money.usd(total) + " total";
    }

    private static void addCount(List<String> parts, long n, String one, String many) {
        if (n > 0) {
            parts.add(number(n) + " " + (n == 1 ? one : many));
        }
    }

    private static String footer(String ledgerDescription, Reporter.Stats stats) {
        if (stats == null) {
            return ledgerDescription == null ? null : "  " + ledgerDescription;
        }
        String counts = plural(stats.written(), "event") + " written, " + number(stats.dropped()) + " dropped"
                + (stats.failedWrites() > 0 ? ", " + plural(stats.failedWrites(), "failed write") : "");
        return ledgerDescription == null ? "  events: " + counts : "  " + ledgerDescription + " (" + counts + ")";
    }

    private static String plural(long n, String noun) {
        return number(n) + " " + noun + (n == 1 ? "" : "s");
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The rows as aligned columns: label, calls, tokens (in, out, and cached when any row has
     * cached tokens; blank for tools), cost.
     */
    private static final class Table {
        private final List<Row> rows;
        private final boolean anyTokens;
        private final boolean anyCached;
        private int labelWidth;
        private int callsWidth;
        private int inWidth;
        private int outWidth;
        private int cachedWidth;
        private int costWidth;
        private int costDecimals;

        Table(List<Row> rows) {
            this.rows = rows;
            boolean tokens = false;
            boolean cached = false;
            for (Row row : rows) {
                labelWidth = Math.max(labelWidth, label(row).length());
                callsWidth = Math.max(callsWidth, number(row.calls).length());
                costDecimals = Math.max(costDecimals, decimals(Money.usd(row.cost)));
                if (row.hasTokens()) {
                    tokens = true;
                    cached |= row.cached > 0;
                    inWidth = Math.max(inWidth, number(row.input).length());
                    outWidth = Math.max(outWidth, number(row.output).length());
                    cachedWidth = Math.max(cachedWidth, number(row.cached).length());
                }
            }
            this.anyTokens = tokens;
            this.anyCached = cached;
            for (Row row : rows) {
                costWidth = Math.max(costWidth, cost(row).length());
            }
        }

        /** The row's cost, padded on the right so that the decimal points of the column line up. */
        private String cost(Row row) {
            String usd = Money.usd(row.cost);
            return usd + " ".repeat(costDecimals - decimals(usd));
        }

        private static int decimals(String usd) {
            return usd.length() - usd.indexOf('.') - 1;
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>(rows.size());
            for (Row row : rows) {
                StringBuilder line = new StringBuilder("  ")
                        .append(padRight(label(row), labelWidth))
                        .append("  ").append(padLeft(number(row.calls), callsWidth))
                        .append(row.calls == 1 ? " call " : " calls");
                if (anyTokens) {
                    String tokens = tokens(row);
                    line.append(row.hasTokens() ? tokens : " ".repeat(tokens.length()));
                }
                line.append("   ").append(padLeft(cost(row), costWidth));
                lines.add(line.toString());
            }
            return lines;
        }

        /** Same width for every row, so tool rows can be blanked with as many spaces. */
        private String tokens(Row row) {
            String s = "   in " + padLeft(number(row.input), inWidth)
                    + "   out " + padLeft(number(row.output), outWidth);
            return anyCached ? s + "   cached " + padLeft(number(row.cached), cachedWidth) : s;
        }

        private static String label(Row row) {
            return switch (row.type) {
                case LLM -> row.label;
                case TOOL -> "tool " + row.label;
                case CUSTOM -> "custom " + row.label;
            };
        }

        private static String padRight(String s, int width) {
            return s.length() >= width ? s : s + " ".repeat(width - s.length());
        }

        private static String padLeft(String s, int width) {
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }
}
