package dev.nullspend.agent.guard;

import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.Recovery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Loop detection exactly as docs/nullspend-api-contract.md#loop-detection, split in two so that only admitted calls
 * count (the proxy's behaviour, not the reference SDK's BUG-1): {@link #check} decides whether
 * this call would be a loop without changing the counts, {@link #record} counts it once the
 * whole admission passed. Both run under the guard's lock, so nothing changes in between.
 *
 * <p>Per key ({@code provider:model}) the detector keeps the calls of the last window (at most
 * {@code 10 × maxCalls}, oldest evicted first) and a count per content hash. A call is a loop when
 * its hash would reach {@code maxCalls} in the window ({@code per_key}), or when
 * {@code aggregateMaxKeys} keys each have some hash repeated at least 3 times ({@code aggregate}).
 * A denial is remembered per key and hash for 5 s: repeating the call within that time gets the
 * same denial without a new count. Not thread-safe: the guard serialises access.
 */
final class LoopDetector {

    /**
     * @param maxCalls         calls with the same content per key and window that make a loop; 0 disables detection
     * @param windowSeconds    sliding window
     * @param aggregateMaxKeys keys with a repeated hash that make an aggregate loop; 0 disables that check
     * @param maxCallsSetting  where {@code maxCalls} is configured, for messages
     * @param aggregateSetting where {@code aggregateMaxKeys} is configured, for messages
     */
    record Settings(int maxCalls, int windowSeconds, int aggregateMaxKeys, String maxCallsSetting,
                    String aggregateSetting) {
        boolean enabled() {
            return maxCalls > 0;
        }
    }

    static final int AGGREGATE_MIN_REPEATS = 3;
    static final long DENIAL_BACKOFF_NANOS = LoopDetectedException.RETRY_AFTER_SECONDS * 1_000_000_000L;
    static final int MAX_CACHED_DENIALS = 1000;
    static final int ENTRIES_PER_MAX_CALL = 10;

    private record Entry(long atNanos, String hash) {
    }

    /** The window of one {@code provider:model}. */
    private static final class KeyState {
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        final Map<String, Integer> counts = new HashMap<>();
        /** Hashes whose approaching-threshold warning was logged and whose count has not fallen below it since. */
        final Set<String> warned = new HashSet<>();

        int count(String hash) {
            return counts.getOrDefault(hash, 0);
        }

        boolean hasRepeatedHash() {
            for (int c : counts.values()) {
                if (c >= AGGREGATE_MIN_REPEATS) {
                    return true;
                }
            }
            return false;
        }
    }

    private record CachedDenial(long atNanos, LoopDetectedException denial) {
    }

    private final Settings settings;
    private final long windowNanos;
    private final int warnAt;
    private final Map<String, KeyState> keys = new HashMap<>();
    private final Map<String, CachedDenial> denials = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedDenial> eldest) {
            return size() > MAX_CACHED_DENIALS;
        }
    };

    LoopDetector(Settings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("loop detection is disabled (max calls 0)");
        }
        this.settings = settings;
        this.windowNanos = settings.windowSeconds() * 1_000_000_000L;
        this.warnAt = settings.maxCalls() * 4 / 5;
    }

    Settings settings() {
        return settings;
    }

    /** The loop this call would make, or {@code null}; counts nothing. */
    LoopDetectedException check(String provider, String model, String hash, long nowNanos) {
        String key = key(provider, model);
        String cacheKey = key + '\u0000' + hash;
        CachedDenial cached = denials.get(cacheKey);
        if (cached != null) {
            if (nowNanos - cached.atNanos() < DENIAL_BACKOFF_NANOS) {
                return copy(cached.denial());
            }
            denials.remove(cacheKey);
        }
        KeyState own = keys.get(key);
        if (own != null) {
            prune(own, nowNanos);
        }
        int count = (own == null ? 0 : own.count(hash)) + 1;
        LoopDetectedException denial = null;
        if (count >= settings.maxCalls()) {
            denial = perKey(provider, model, count);
        } else if (settings.aggregateMaxKeys() > 0) {
            int qualifying = qualifyingKeys(key, count, nowNanos);
            if (qualifying >= settings.aggregateMaxKeys()) {
                denial = aggregate(qualifying);
            }
        }
        if (denial != null) {
            denials.put(cacheKey, new CachedDenial(nowNanos, denial));
        }
        return denial;
    }

    /** Counts an admitted call; warns (into {@code notes}) once when its hash approaches the limit. */
    void record(String provider, String model, String hash, long nowNanos, Notes notes) {
        KeyState state = keys.computeIfAbsent(key(provider, model), k -> new KeyState());
        prune(state, nowNanos);
        state.entries.addLast(new Entry(nowNanos, hash));
        state.counts.merge(hash, 1, Integer::sum);
        int cap = ENTRIES_PER_MAX_CALL * settings.maxCalls();
        while (state.entries.size() > cap) {
            forget(state, state.entries.removeFirst());
        }
        int count = state.count(hash);
        if (warnAt > 0 && count >= warnAt && state.warned.add(hash)) {
            notes.warn("approaching loop threshold for " + model + " (" + count + "/" + settings.maxCalls()
                    + " calls in " + settings.windowSeconds() + "s window)");
        }
    }

    /** Calls of {@code provider:model} with {@code hash} in the window (tests). */
    int count(String provider, String model, String hash, long nowNanos) {
        KeyState state = keys.get(key(provider, model));
        if (state == null) {
            return 0;
        }
        prune(state, nowNanos);
        return state.count(hash);
    }

    /** Entries kept for {@code provider:model} (tests: the per-key cap). */
    int entries(String provider, String model) {
        KeyState state = keys.get(key(provider, model));
        return state == null ? 0 : state.entries.size();
    }

    /** Keys with some hash repeated ≥ 3 times, this call included; prunes every key and drops empty ones. */
    private int qualifyingKeys(String ownKey, int ownCount, long nowNanos) {
        int qualifying = ownCount >= AGGREGATE_MIN_REPEATS ? 1 : 0;
        Iterator<Map.Entry<String, KeyState>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, KeyState> e = it.next();
            KeyState state = e.getValue();
            prune(state, nowNanos);
            if (state.entries.isEmpty()) {
                it.remove();
            } else if (!e.getKey().equals(ownKey) || ownCount < AGGREGATE_MIN_REPEATS) {
                qualifying += state.hasRepeatedHash() ? 1 : 0;
            }
        }
        return qualifying;
    }

    private void prune(KeyState state, long nowNanos) {
        long oldestKept = nowNanos - windowNanos;
        while (!state.entries.isEmpty() && state.entries.peekFirst().atNanos() <= oldestKept) {
            forget(state, state.entries.removeFirst());
        }
    }

    private void forget(KeyState state, Entry entry) {
        int left = state.counts.merge(entry.hash(), -1, Integer::sum);
        if (left <= 0) {
            state.counts.remove(entry.hash());
        }
        if (left < warnAt) {
            state.warned.remove(entry.hash());
        }
    }

    private LoopDetectedException perKey(String provider, String model, int count) {
        return new LoopDetectedException(provider, model, count, settings.windowSeconds(), settings.maxCalls(),
                "per_key", "Loop detected: " + model + " called " + count + " times with identical content in "
                        + settings.windowSeconds() + "s. The program is probably repeating the same request; "
                        + "this request is refused for " + LoopDetectedException.RETRY_AFTER_SECONDS + "s. Fix the "
                        + "loop, or adjust " + settings.maxCallsSetting() + " (max calls " + settings.maxCalls()
                        + ", 0 disables detection). See " + Recovery.DOCS_BASE + "loop-detected");
    }

    private LoopDetectedException aggregate(int qualifying) {
        return new LoopDetectedException("multiple", "aggregate", qualifying, settings.windowSeconds(),
                settings.aggregateMaxKeys(), "aggregate", "Loop detected: " + qualifying + " models each repeated "
                        + "identical content at least " + AGGREGATE_MIN_REPEATS + " times in "
                        + settings.windowSeconds() + "s. The program is probably cycling through the same requests; "
                        + "this request is refused for " + LoopDetectedException.RETRY_AFTER_SECONDS + "s. Fix the "
                        + "loop, or adjust " + settings.aggregateSetting() + " (aggregate max keys "
                        + settings.aggregateMaxKeys() + ", 0 disables this check). See "
                        + Recovery.DOCS_BASE + "loop-detected");
    }

    /** A fresh exception (own stack trace, thrown on this thread) with the cached denial's details. */
    private static LoopDetectedException copy(LoopDetectedException d) {
        return new LoopDetectedException(d.provider(), d.model(), d.callCount(), d.windowSeconds(), d.maxCalls(),
                d.detectionType(), d.getMessage());
    }

    private static String key(String provider, String model) {
        return provider + ':' + model;
    }
}
