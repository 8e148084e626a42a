package dev.nullspend.agent.cli.report;

import java.util.Comparator;

/** One row of a report: the events of one key. */
public record Group(String key, long calls, long costMicrodollars, long inputTokens, long outputTokens) {

    /** Cost, highest first; then calls, highest first; then the key, so the order is stable. */
    static final Comparator<Group> BY_COST = Comparator.comparingLong(Group::costMicrodollars).reversed()
            .thenComparing(Comparator.comparingLong(Group::calls).reversed())
            .thenComparing(Group::key);

    static Group of(String key, Totals t) {
        return new Group(key, t.calls, t.costMicros, t.inputTokens, t.outputTokens);
    }
}
