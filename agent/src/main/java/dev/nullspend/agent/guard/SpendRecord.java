package dev.nullspend.agent.guard;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.report.OwnerOnlyFiles;
import dev.nullspend.agent.report.RecentKeys;
import dev.nullspend.api.CostEvent;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The compact spend record kept beside a ledger ({@code <ledger>.spend}), so that restoring
 * spend at start-up reads only the part of the ledger written since the record, not its whole
 * history. The ledger stays the source of truth: the record only sums a prefix of it.
 *
 * <p>It holds, for each budget scope (every call, a customer, a tag), the total spend and the
 * spend per UTC day of the last {@value #KEEP_DAYS} days (every budget period, daily to monthly,
 * is a run of whole UTC days; a budget without a period takes the total), per session its spend
 * since it was last idle for 24 hours and when it was last active, and the latest idempotency
 * keys (to skip a batch written twice across the prefix's end). It names the bytes it covers:
 * the ledger's file key (device and inode), its length, and a checksum of its last 4 KiB.
 *
 * <p>It is thrown away and rebuilt from the whole ledger when it is missing, unreadable, of
 * another version, lacks a scope a budget now needs, or no longer describes the ledger: another
 * file at the path (rotated), a ledger shorter than the covered length (truncated), or other
 * bytes where the covered part ends (truncated and written again). It is replaced atomically
 * (a new file moved over the old one): processes sharing a ledger each write a record of the
 * prefix they read; whichever lands last is as valid as the other, it may only leave a longer tail
 * to read next time. Not thread-safe: the guard serialises access.
 */
final class SpendRecord {
    static final String SUFFIX = ".spend";
    /** Days kept per scope: a monthly period starts at most 31 days back. */
    static final int KEEP_DAYS = 40;
    static final long DAY_MILLIS = 86_400_000L;

    private static final String MAGIC = "nullspend-spend-record";
    private static final int VERSION = 1;
    private static final int FINGERPRINT_BYTES = 4096;
    /** A session idle this long is forgotten at restore; kept a little longer for late-written events. */
    private static final long SESSION_KEEP_MILLIS = Sessions.IDLE_MILLIS + 60L * 60 * 1000;

    /** Spend of one scope: all time and per UTC day (epoch day → microdollars). */
    static final class ScopeSpend {
        long total;
        final TreeMap<Long, Long> days = new TreeMap<>();
    }

    /** A session's spend since it was last idle for 24 hours, and its last activity. */
    static final class SessionSpend {
        long spend;
        long lastActiveMillis;
    }

    private final Path ledger;
    private final Path file;
    private String ledgerKey = "";
    private long covered;
    private long fingerprint;
    private final Map<String, ScopeSpend> scopes = new LinkedHashMap<>();
    private final Map<String, SessionSpend> sessions = new HashMap<>();
    private RecentKeys keys;
    /** The record's keys line, parsed only when the ledger has a tail to read (most starts have none). */
    private String unparsedKeys;
    private boolean changed;

    private SpendRecord(Path ledger) {
        this.ledger = ledger;
        this.file = pathOf(ledger);
    }

    static Path pathOf(Path ledger) {
        return ledger.resolveSibling(ledger.getFileName() + SUFFIX);
    }

    /** The scope a budget counts: {@code *} for every call, {@code customer:ID}, or {@code tag:K=V}. */
    static String scopeOf(BudgetRule rule) {
        return switch (rule.entityType()) {
            case USER, API_KEY -> "*";
            case CUSTOMER -> "customer:" + rule.entityId();
            case TAG -> "tag:" + rule.entityId();
        };
    }

    static boolean covers(String scope, CallOwner who) {
        if (scope.equals("*")) {
            return true;
        }
        if (scope.startsWith("customer:")) {
            return scope.substring("customer:".length()).equals(who.customerId());
        }
        String tag = scope.substring("tag:".length());
        int eq = tag.indexOf('=');
        return eq > 0 && who.hasTag(tag.substring(0, eq), tag.substring(eq + 1));
    }

    /**
     * The record of this ledger when it is valid and has every scope in {@code needed}; otherwise
     * an empty one covering nothing, with those scopes (the caller then reads the whole ledger).
     */
    static SpendRecord load(Path ledger, Collection<String> needed) {
        SpendRecord valid = null;
        String why = null;
        try {
            SpendRecord read = Files.exists(ledger) ? read(ledger) : null;
            if (read == null) {
                why = null; // no record (or no ledger) yet: built quietly
            } else if (!read.scopes.keySet().containsAll(needed)) {
                why = "a budget counts a scope it does not have";
            } else if (!read.describesLedger()) {
                why = "the ledger was rotated or truncated since";
            } else {
                valid = read;
            }
        } catch (IOException | RuntimeException e) {
            why = "unreadable (" + e.getMessage() + ")";
        }
        if (valid != null) {
            return valid;
        }
        if (why != null) {
            AgentLog.info("spend record " + pathOf(ledger) + " rebuilt from the whole ledger: " + why);
        }
        SpendRecord fresh = new SpendRecord(ledger);
        for (String scope : needed) {
            fresh.scopes.put(scope, new ScopeSpend());
        }
        fresh.changed = true;
        return fresh;
    }

    /** The ledger bytes already summed: the tail to read starts here. */
    long covered() {
        return covered;
    }

    /** The latest idempotency keys, to go on skipping duplicates in the tail. */
    RecentKeys keys() {
        if (keys == null) {
            keys = new RecentKeys();
            String[] f = unparsedKeys == null ? new String[0] : split(unparsedKeys);
            for (int i = 1; i < f.length; i++) {
                keys.add(f[i]);
            }
            unparsedKeys = null;
        }
        return keys;
    }

    /** True when the ledger has bytes past the covered part (a missing ledger has none). */
    boolean hasTail() throws IOException {
        try {
            return Files.size(ledger) > covered;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Adds an event read from the ledger past the covered part. */
    void add(CostEvent event) {
        long at = event.createdAt().toEpochMilli();
        long cost = event.costMicrodollars();
        CallOwner who = CallOwner.of(event);
        long day = Math.floorDiv(at, DAY_MILLIS);
        for (Map.Entry<String, ScopeSpend> e : scopes.entrySet()) {
            if (covers(e.getKey(), who)) {
                ScopeSpend s = e.getValue();
                s.total += cost;
                s.days.merge(day, cost, Long::sum);
            }
        }
        if (who.sessionId() != null) {
            SessionSpend s = sessions.computeIfAbsent(who.sessionId(), id -> new SessionSpend());
            // A session idle for 24 hours starts again from zero, as Sessions does while the program runs.
            if (s.spend > 0 && at - s.lastActiveMillis > Sessions.IDLE_MILLIS) {
                s.spend = 0;
            }
            s.spend += cost;
            s.lastActiveMillis = Math.max(s.lastActiveMillis, at);
        }
        changed = true;
    }

    /** Spend of {@code scope} recorded in [{@code start}, {@code end}), both UTC day starts or the open ends. */
    long spend(String scope, long start, long end) {
        ScopeSpend s = scopes.get(scope);
        if (s == null) {
            return 0;
        }
        if (start == Long.MIN_VALUE && end == Long.MAX_VALUE) {
            return s.total;
        }
        long sum = 0;
        for (long micros : s.days.subMap(Math.floorDiv(start, DAY_MILLIS), true,
                Math.floorDiv(end, DAY_MILLIS), false).values()) {
            sum += micros;
        }
        return sum;
    }

    Map<String, SessionSpend> sessions() {
        return sessions;
    }

    /**
     * Marks the ledger read up to {@code end} (the end of its last complete line), forgets days
     * and sessions no restore after {@code nowMillis} can need, and writes the record when it
     * changed. A failure to write is logged: the next start reads more of the ledger, nothing else.
     */
    void save(long end, long nowMillis) {
        try {
            if (end != covered) {
                covered = end;
                changed = true;
            }
            if (!changed || !Files.exists(ledger)) {
                return;
            }
            ledgerKey = currentLedgerKey();
            fingerprint = fingerprint(ledger, covered);
            prune(nowMillis);
            write();
            changed = false;
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("spend-record-write", "cannot write the spend record " + file + " (" + e.getMessage()
                    + "); the next start reads the whole ledger again");
        }
    }

    private void prune(long nowMillis) {
        long oldestDay = Math.floorDiv(nowMillis, DAY_MILLIS) - KEEP_DAYS;
        for (ScopeSpend s : scopes.values()) {
            s.days.headMap(oldestDay).clear();
        }
        sessions.values().removeIf(s -> nowMillis - s.lastActiveMillis > SESSION_KEEP_MILLIS);
        if (sessions.size() > Sessions.MAX_SESSIONS) {
            List<Map.Entry<String, SessionSpend>> byActivity = new ArrayList<>(sessions.entrySet());
            byActivity.sort(Comparator.comparingLong(e -> e.getValue().lastActiveMillis));
            for (int i = 0; i < byActivity.size() - Sessions.MAX_SESSIONS; i++) {
                sessions.remove(byActivity.get(i).getKey());
            }
        }
    }

    private boolean describesLedger() throws IOException {
        long size;
        try {
            size = Files.size(ledger);
        } catch (NoSuchFileException e) {
            return false;
        }
        return size >= covered && ledgerKey.equals(currentLedgerKey()) && fingerprint == fingerprint(ledger, covered);
    }

    private String currentLedgerKey() throws IOException {
        return Objects.toString(Files.readAttributes(ledger, BasicFileAttributes.class).fileKey(), "");
    }

    /** CRC-32 of the up to 4 KiB before {@code end}: other bytes there mean the ledger was rewritten. */
    private static long fingerprint(Path ledger, long end) throws IOException {
        if (end == 0) {
            return 0;
        }
        int length = (int) Math.min(FINGERPRINT_BYTES, end);
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try (FileChannel in = FileChannel.open(ledger, StandardOpenOption.READ)) {
            long position = end - length;
            while (bytes.hasRemaining() && in.read(bytes, position + bytes.position()) > 0) {
                // a regular file fills the buffer in one read
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.flip());
        return crc.getValue();
    }

    // ---- file format: UTF-8 lines of tab-separated fields, '%', tab and line breaks percent-escaped ----

    private void write() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = OwnerOnlyFiles.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                line(w, MAGIC, Integer.toString(VERSION));
                line(w, "ledger", ledgerKey, Long.toString(covered), Long.toString(fingerprint));
                for (Map.Entry<String, ScopeSpend> e : scopes.entrySet()) {
                    line(w, "scope", e.getKey(), Long.toString(e.getValue().total));
                    for (Map.Entry<Long, Long> d : e.getValue().days.entrySet()) {
                        line(w, "day", Long.toString(d.getKey()), Long.toString(d.getValue()));
                    }
                }
                for (Map.Entry<String, SessionSpend> e : sessions.entrySet()) {
                    line(w, "session", e.getKey(), Long.toString(e.getValue().spend),
                            Long.toString(e.getValue().lastActiveMillis));
                }
                List<String> recent = keys().oldestFirst();
                recent.add(0, "keys");
                line(w, recent.toArray(String[]::new)); // one line: a start reads it at once
                line(w, "end");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The record at the ledger's side, or null when there is none. */
    private static SpendRecord read(Path ledger) throws IOException {
        SpendRecord r = new SpendRecord(ledger);
        BufferedReader in;
        try {
            in = Files.newBufferedReader(r.file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try (in) {
            String[] head = fields(in.readLine());
            if (head.length != 2 || !head[0].equals(MAGIC) || !head[1].equals(Integer.toString(VERSION))) {
                throw new IOException("not a version " + VERSION + " spend record");
            }
            ScopeSpend scope = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("keys\t") || line.equals("keys")) {
                    r.unparsedKeys = line;
                    continue;
                }
                String[] f = fields(line);
                switch (f[0]) {
                    case "ledger" -> {
                        r.ledgerKey = f[1];
                        r.covered = Long.parseLong(f[2]);
                        r.fingerprint = Long.parseLong(f[3]);
                    }
                    case "scope" -> {
                        scope = new ScopeSpend();
                        scope.total = Long.parseLong(f[2]);
                        r.scopes.put(f[1], scope);
                    }
                    case "day" -> Objects.requireNonNull(scope, "day before scope").days
                            .put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                    case "session" -> {
                        SessionSpend s = new SessionSpend();
                        s.spend = Long.parseLong(f[2]);
                        s.lastActiveMillis = Long.parseLong(f[3]);
                        r.sessions.put(f[1], s);
                    }
                    case "end" -> {
                        return r;
                    }
                    default -> throw new IOException("unknown line " + f[0]);
                }
            }
            throw new IOException("incomplete");
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IOException("malformed: " + e.getMessage(), e);
        }
    }

    private static void line(BufferedWriter w, String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                w.write('\t');
            }
            w.write(escape(fields[i]));
        }
        w.write('\n');
    }

    private static String[] fields(String line) throws IOException {
        if (line == null) {
            throw new IOException("incomplete");
        }
        return split(line);
    }

    private static String[] split(String line) {
        String[] f = line.split("\t", -1);
        for (int i = 0; i < f.length; i++) {
            f[i] = unescape(f[i]);
        }
        return f;
    }

    private static String escape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        return s.replace("%09", "\t").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
    }
}
