package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sums a report shows, built one event at a time as the ledgers stream by: memory depends on
 * the number of distinct keys (bounded by {@link GroupTable}), never on the number of events.
 */
public final class SpendReport {
    /** Rows per table before new keys are summed in {@value GroupTable#OTHER}; a few MB at most. */
    static final int MAX_KEYS = 10_000;

    static final String TAG_ESTIMATED = "_ns_estimated";
    static final String TAG_UNPRICED = "_ns_unpriced";
    static final String TAG_DRY_RUN = "_ns_dry_run";
    static final String TAG_SOFT_BLOCK = "_ns_soft_block";
    /** Tags the agent puts on events itself; "top tags" shows the program's own. */
    private static final String AGENT_TAG_PREFIX = "_ns_";

    /** One cell of the cost-per-day chart. */
    record DayModel(LocalDate day, String model) {
    }

    private final Grouping grouping;
    private final Since since;
    final Totals total = new Totals();
    final GroupTable<String> groups;
    final GroupTable<DayModel> dayModel;
    final GroupTable<String> models;
    final GroupTable<String> sessions;
    final GroupTable<String> customers;
    final GroupTable<String> tags;
    final GroupTable<String> dryRunDenials;
    final Totals estimated = new Totals();
    final Totals unpriced = new Totals();
    final Totals softBlocked = new Totals();
    LocalDate firstDay;
    LocalDate lastDay;
    long beforePeriod;
    long skippedLines;
    long duplicates;
    final List<String> files = new ArrayList<>();

    SpendReport(Grouping grouping, Since since) {
        this(grouping, since, MAX_KEYS);
    }

    SpendReport(Grouping grouping, Since since, int maxKeys) {
        this.grouping = grouping;
        this.since = since;
        groups = new GroupTable<>(maxKeys);
        dayModel = new GroupTable<>(maxKeys * 5);
        models = new GroupTable<>(maxKeys);
        sessions = new GroupTable<>(maxKeys);
        customers = new GroupTable<>(maxKeys);
        tags = new GroupTable<>(maxKeys);
        dryRunDenials = new GroupTable<>(maxKeys);
    }

    public Grouping grouping() {
        return grouping;
    }

    /** Null when the report covers the whole ledger. */
    public Since since() {
        return since;
    }

    void add(CostEvent e) {
        if (since != null && !since.includes(e.createdAt())) {
            beforePeriod++;
            return;
        }
        total.add(e);
        groups.add(grouping.keyOf(e), e);
        String model = Grouping.modelOf(e);
        models.add(model, e);
        LocalDate day = e.createdAt().atZone(ZoneOffset.UTC).toLocalDate();
        dayModel.add(new DayModel(day, model), e);
        firstDay = firstDay == null || day.isBefore(firstDay) ? day : firstDay;
        lastDay = lastDay == null || day.isAfter(lastDay) ? day : lastDay;
        if (e.sessionId() != null) {
            sessions.add(e.sessionId(), e);
        }
        if (e.customer() != null) {
            customers.add(e.customer(), e);
        }
        Map<String, String> eventTags = e.tags();
        for (Map.Entry<String, String> tag : eventTags.entrySet()) {
            if (!tag.getKey().startsWith(AGENT_TAG_PREFIX) && tag.getValue() != null) {
                tags.add(tag.getKey() + "=" + tag.getValue(), e);
            }
        }
        if (eventTags.containsKey(TAG_ESTIMATED)) {
            estimated.add(e);
        }
        if (eventTags.containsKey(TAG_UNPRICED)) {
            unpriced.add(e);
        }
        if (eventTags.containsKey(TAG_SOFT_BLOCK)) {
            softBlocked.add(e);
        }
        String dryRun = eventTags.get(TAG_DRY_RUN);
        if (dryRun != null) {
            dryRunDenials.add(dryRun, e);
        }
    }

    public long calls() {
        return total.calls;
    }

    public long costMicrodollars() {
        return total.costMicros;
    }

    public long inputTokens() {
        return total.inputTokens;
    }

    public long outputTokens() {
        return total.outputTokens;
    }

    /** The rows of {@code --group-by}, highest cost first. */
    public List<Group> groups() {
        return groups.sorted(k -> k);
    }

    /** Lines of the ledgers that were torn, malformed or overlong, skipped. */
    public long skippedLines() {
        return skippedLines;
    }

    /** Events skipped because their idempotencyKey was just read (a batch written twice). */
    public long duplicates() {
        return duplicates;
    }

    /** Events created before {@code --since}, left out. */
    public long beforePeriod() {
        return beforePeriod;
    }
}
