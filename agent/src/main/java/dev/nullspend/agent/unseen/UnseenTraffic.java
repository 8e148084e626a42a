package dev.nullspend.agent.unseen;

import dev.nullspend.agent.log.AgentLog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LLM traffic the agent saw pass and could not cost, by cause: a connection to an LLM host from
 * a stack it does not instrument (or whose instrumentation is turned off), a call whose body it
 * cannot read. The first occurrence of each cause is logged as a warning that says what to do;
 * every occurrence is counted, and the exit summary gives one line per cause. One registry for
 * the JVM, since connections come before the core runtime exists; bounded to
 * {@link #MAX_CAUSES} causes, further ones are counted together.
 */
public final class UnseenTraffic {
    static final int MAX_CAUSES = 100;
    private static final String OTHER_KEY = "(other)";

    private static final ConcurrentHashMap<String, Counted> CAUSES = new ConcurrentHashMap<>();

    private UnseenTraffic() {
    }

    /**
     * One cause of traffic not costed.
     *
     * @param key     what makes two occurrences the same cause (e.g. kind, host and stack)
     * @param unit    what one occurrence is: {@code connection} or {@code call}
     * @param summary the exit summary's words for the cause after the count and unit, e.g.
     *                {@code "to api.openai.com from io.netty (not instrumented)"}
     * @param warning the line logged at the first occurrence
     */
    public record Cause(String key, String unit, String summary, String warning) {
    }

    private record Counted(Cause cause, AtomicLong count) {
    }

    /** Counts one occurrence of {@code cause}; logs its warning the first time. Never throws. */
    public static void seen(Cause cause) {
        Counted counted = CAUSES.get(cause.key());
        if (counted == null) {
            if (CAUSES.size() >= MAX_CAUSES) {
                counted = CAUSES.computeIfAbsent(OTHER_KEY, k -> new Counted(new Cause(OTHER_KEY, "occurrence",
                        "of further causes (only counted: more than " + MAX_CAUSES + " causes)", null), new AtomicLong()));
                AgentLog.warnOnce("unseen:" + OTHER_KEY, "more than " + MAX_CAUSES + " causes of LLM traffic not costed;"
                        + " further ones are only counted (exit summary): " + cause.warning());
            } else {
                Counted fresh = new Counted(cause, new AtomicLong());
                counted = CAUSES.putIfAbsent(cause.key(), fresh);
                if (counted == null) {
                    counted = fresh;
                    AgentLog.warn(cause.warning());
                }
            }
        }
        counted.count().incrementAndGet();
    }

    /** Occurrences of every cause so far. */
    public static long total() {
        long n = 0;
        for (Counted c : CAUSES.values()) {
            n += c.count().get();
        }
        return n;
    }

    /**
     * The exit summary's lines, one per cause, most frequent first, e.g.
     * {@code "not costed: 2 connections to api.openai.com from io.netty (not instrumented)"}; empty when none.
     */
    public static List<String> summaryLines() {
        if (CAUSES.isEmpty()) {
            return List.of(); // the usual exit: no comparator, no lambda to bootstrap
        }
        List<Counted> all = new ArrayList<>(CAUSES.values());
        all.sort(Comparator.comparingLong((Counted c) -> c.count().get()).reversed()
                .thenComparing(c -> c.cause().summary()));
        List<String> lines = new ArrayList<>(all.size());
        for (Counted c : all) {
            long n = c.count().get();
            lines.add(String.format(Locale.ROOT, "not costed: %,d %s%s %s", n, c.cause().unit(), n == 1 ? "" : "s",
                    c.cause().summary()));
        }
        return lines;
    }

    /** Prints {@link #summaryLines()} as warnings, whatever {@code nullspend.summary} says: these calls were not costed. */
    public static void warnSummary() {
        for (String line : summaryLines()) {
            AgentLog.warn("NullSpend summary: " + line);
        }
    }

    /** Forgets every cause (tests: the registry is process-wide). */
    public static void reset() {
        CAUSES.clear();
    }
}
