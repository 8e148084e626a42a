package dev.nullspend.agent.report;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The last idempotency keys read from a ledger, to skip an event written twice. A retried batch
 * repeats its events right after the first copy, so a window of the latest keys finds every such
 * duplicate while memory stays bounded on a ledger of any size. Not thread-safe.
 */
public final class RecentKeys {
    /** Ten times the largest batch the reporter writes (100): room for other processes' batches in between. */
    public static final int DEFAULT_WINDOW = 1_024;

    private final int window;
    private final LinkedHashSet<String> keys = new LinkedHashSet<>();

    public RecentKeys(int window) {
        this.window = window;
    }

    public RecentKeys() {
        this(DEFAULT_WINDOW);
    }

    /** Remembers {@code key}; false when it is among the recent keys already (a duplicate). */
    public boolean add(String key) {
        if (!keys.add(key)) {
            return false;
        }
        if (keys.size() > window) {
            Iterator<String> oldest = keys.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** The keys, oldest first. */
    public List<String> oldestFirst() {
        return new ArrayList<>(keys);
    }
}
