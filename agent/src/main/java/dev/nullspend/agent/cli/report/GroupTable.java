package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Totals per key, bounded: the first {@code maxKeys} keys get a row each, events of later new
 * keys are summed in one overflow row ({@value #OTHER}). Every row is exact (a key that has a
 * row gets all its events); only which keys get one depends on the order the ledger holds them.
 * Sessions or customers without end cannot exhaust memory.
 */
final class GroupTable<K> {
    static final String OTHER = "(other)";

    private final int maxKeys;
    private final Map<K, Totals> rows = new HashMap<>();
    private final Totals overflow = new Totals();

    GroupTable(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void add(K key, CostEvent e) {
        Totals t = rows.get(key);
        if (t == null) {
            if (rows.size() >= maxKeys) {
                overflow.add(e);
                return;
            }
            t = new Totals();
            rows.put(key, t);
        }
        t.add(e);
    }

    /** Events of keys that got no row of their own. */
    long overflowCalls() {
        return overflow.calls;
    }

    Map<K, Totals> rows() {
        return rows;
    }

    /** The rows, the overflow row {@value #OTHER} among them when it has events, sorted by cost, highest first. */
    List<Group> sorted(Function<K, String> name) {
        List<Group> groups = new ArrayList<>(rows.size() + 1);
        rows.forEach((k, t) -> groups.add(Group.of(name.apply(k), t)));
        if (overflow.calls > 0) {
            groups.add(Group.of(OTHER, overflow));
        }
        groups.sort(Group.BY_COST);
        return groups;
    }
}
