package dev.nullspend.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bounded disk spool for cost events the NullSpend API has not accepted yet, in a directory
 * shared by every process on the machine ({@code nullspend.spool-dir}).
 *
 * <h2>Owners</h2>
 * Spooled events belong to the API key and base URL they were created under ({@link SpoolOwner}),
 * and are only ever re-sent with that key to that URL. Each owner has its own folder
 * {@code owner-<id>} in the directory; a spool reads, sends and deletes only its owner's folder.
 * The folders of other owners are left as they are, and so are segments written by versions
 * before the owners ({@code run-*.jsonl} directly in the directory): nobody can tell whose they
 * are, so they are never sent. Both are counted once, at the first use, and logged (counts and
 * the directory, no key).
 *
 * <h2>Files</h2>
 * In its owner's folder, each process (a "run") writes its own files, named by its run id
 * ({@code <UTC start time>-<pid>-<random>}):
 * <ul>
 *   <li>{@code run-<id>.lock}: held with {@link FileChannel#tryLock()} while the run lives; the OS
 *       releases it when the process dies, even by {@code kill -9}.</li>
 *   <li>{@code run-<id>.<seq>.jsonl}: segments of at most about 1 MB, one event per line with
 *       {@code createdAt}, written by {@link JsonlAppender} with an fsync per append. A crash can
 *       tear at most the last line, which {@link LedgerReader} skips.</li>
 *   <li>{@code run-<id>.rejected.jsonl}: events the API refused one by one (HTTP 400 after
 *       sanitising), each with the API's error; kept for people to look at, never re-sent.</li>
 * </ul>
 *
 * <h2>Backlog</h2>
 * On first use the spool adopts the segments of runs whose lock it can take (their process is
 * gone): it keeps their lock while it re-sends them, so two processes never take the same
 * segments, and a live process's files are never touched. The backlog is those segments, then this
 * run's own, oldest first. {@link #next} hands out the next events, {@link #acknowledge} records
 * that the API accepted them; a segment file is deleted only when all its events are acknowledged.
 * A crash between the API's acceptance and the deletion means the events are sent again by the
 * next run: the API deduplicates them by their {@code idempotencyKey}.
 *
 * <h2>Bound</h2>
 * All spool files of the directory together (every owner's, and the old unowned ones) stay under
 * {@code maxBytes}, so each owner's folder does too: an append that would pass it is refused (the
 * caller counts and logs the drop). The total is counted at the first use and kept up to date with
 * this run's own changes; before refusing, the directory is counted again (other processes may
 * have deleted files).
 *
 * <p>Nothing is created on disk until something is appended. Used by the reporter thread only.
 */
public final class Spool {
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    static final long SEGMENT_BYTES = 1L << 20;

    private static final String PREFIX = "run-";
    private static final String LOCK_SUFFIX = ".lock";
    private static final String JSONL_SUFFIX = ".jsonl";
    private static final String REJECTED_SUFFIX = ".rejected" + JSONL_SUFFIX;
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The shared spool directory. */
    private final Path root;
    /** This owner's folder in it: the only one this spool reads, writes and deletes in. */
    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final String runId;

    private boolean scanned;
    private long totalBytes;
    private RunLock ownLock;
    private JsonlAppender current;
    private int nextSeq;
    private long currentBytes;
    private int currentEvents;
    private JsonlAppender rejected;
    private final ArrayDeque<Segment> backlog = new ArrayDeque<>();
    /** Read from other threads for the exit statistics. */
    private volatile long pendingEvents;

    /**
     * @param root  the shared spool directory ({@code nullspend.spool-dir})
     * @param owner the API key and base URL this process sends with
     */
    public Spool(Path root, long maxBytes, SpoolOwner owner) {
        this(root, maxBytes, SEGMENT_BYTES, newRunId(), owner);
    }

    Spool(Path root, long maxBytes, long segmentBytes, String runId, SpoolOwner owner) {
        this.root = root.toAbsolutePath();
        this.dir = this.root.resolve(owner.dirName());
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.runId = runId;
    }

    /** Events handed out by {@link #next}: acknowledge them once the API accepted them. */
    record Chunk(List<CostEvent> events, Segment segment) {
    }

    /** This owner's folder, where its events wait. */
    public Path dir() {
        return dir;
    }

    /** Events in the backlog not acknowledged yet (lines, for adopted segments not read yet). */
    public long pendingEvents() {
        return pendingEvents;
    }

    /** True when events wait to be re-sent (adopted segments, or this run's own). */
    public boolean hasBacklog() {
        scanIfNeeded();
        return !backlog.isEmpty() || currentEvents > 0;
    }

    /**
     * Appends events to this run's current segment (fsync'd).
     *
     * @return false, writing nothing, when the spool would pass its bound
     */
    public boolean append(List<CostEvent> events) throws IOException {
        scanIfNeeded();
        byte[] lines = CostEventJson.lines(events, true);
        if (!reserve(lines.length)) {
            return false;
        }
        boolean newSegment = current == null;
        if (newSegment) {
            openSegment();
        }
        long written = current.append(lines);
        if (newSegment) {
            syncDirectory(); // the new file's name must survive a power loss as its lines do
        }
        totalBytes += written;
        currentBytes += written;
        currentEvents += events.size();
        pendingEvents += events.size();
        if (currentBytes >= segmentBytes) {
            sealCurrent();
        }
        return true;
    }

    /**
     * Keeps an event the API refused (with its answer) in this run's rejected file.
     *
     * @return false, writing nothing, when the spool would pass its bound
     */
    public boolean reject(CostEvent event, int status, String code, String error) throws IOException {
        scanIfNeeded();
        byte[] line = rejectedLine(event, status, code, error);
        if (!reserve(line.length)) {
            return false;
        }
        if (rejected == null) {
            lockOwnRun();
            rejected = new JsonlAppender(dir.resolve(PREFIX + runId + REJECTED_SUFFIX), true);
        }
        totalBytes += rejected.append(line);
        return true;
    }

    /** Up to {@code maxEvents} of the oldest unacknowledged events, or null when the backlog is empty. */
    Chunk next(int maxEvents) throws IOException {
        scanIfNeeded();
        while (true) {
            if (backlog.isEmpty()) {
                if (currentEvents == 0) {
                    return null;
                }
                sealCurrent();
            }
            Segment segment = backlog.peekFirst();
            if (segment.events == null) {
                segment.load();
            }
            if (segment.cursor < segment.events.size()) {
                int end = Math.min(segment.events.size(), segment.cursor + maxEvents);
                return new Chunk(segment.events.subList(segment.cursor, end), segment);
            }
            finish(segment);
        }
    }

    /** Records that the API accepted {@code chunk} (the last one handed out); deletes its segment when done. */
    void acknowledge(Chunk chunk) throws IOException {
        Segment segment = chunk.segment();
        if (backlog.peekFirst() != segment || segment.events.size() - segment.cursor < chunk.events().size()) {
            throw new IllegalStateException("acknowledged a chunk that is not the next one");
        }
        segment.cursor += chunk.events().size();
        pendingEvents -= chunk.events().size();
        if (segment.cursor == segment.events.size()) {
            finish(segment);
        }
    }

    /**
     * Closes the files and releases the locks. Unsent segments stay for the next run; this run's
     * lock file is deleted when none of its segments is left.
     */
    public void close() {
        if (current != null) {
            current.close();
        }
        if (rejected != null) {
            rejected.close();
        }
        List<RunLock> released = new ArrayList<>();
        for (Segment segment : backlog) {
            if (segment.owner != ownLock && !released.contains(segment.owner)) {
                segment.owner.release(false);
                released.add(segment.owner);
            }
        }
        if (ownLock != null) {
            boolean ownLeft = currentEvents > 0 || backlog.stream().anyMatch(s -> s.owner == ownLock);
            ownLock.release(!ownLeft);
            ownLock = null;
        }
    }

    // ---- internals ----

    /**
     * Adopts this owner's segments of runs that are gone, counts the directory's bytes, and says
     * what waits there for others. Once.
     */
    private void scanIfNeeded() {
        if (scanned) {
            return;
        }
        scanned = true;
        if (!Files.isDirectory(root)) {
            return;
        }
        try {
            totalBytes = countBytes();
            logOthersEvents();
            if (!Files.isDirectory(dir)) {
                return;
            }
            Map<String, List<Path>> segmentsByRun = new TreeMap<>(); // run ids sort by start time
            for (Path file : list(dir)) {
                String run = runOfSegment(file);
                if (run != null && !run.equals(runId)) {
                    segmentsByRun.computeIfAbsent(run, r -> new ArrayList<>()).add(file);
                }
            }
            for (String run : segmentsByRun.keySet()) {
                adopt(run);
            }
            if (!backlog.isEmpty()) {
                AgentLog.info("spool " + dir + ": " + pendingEvents + " cost events of earlier runs to re-send");
            }
        } catch (IOException e) {
            AgentLog.warn("spool " + dir + ": cannot read it, earlier runs' events stay there", e);
        }
    }

    /**
     * Logs how many events of other owners, and of versions that recorded no owner, wait in the
     * directory: this spool never sends them (they may belong to another key, another account).
     */
    private void logOthersEvents() {
        long unowned = 0;
        long others = 0;
        try {
            for (Path entry : list(root, "*")) {
                String name = entry.getFileName().toString();
                if (runOfSegment(entry) != null) {
                    unowned += countLines(entry);
                } else if (SpoolOwner.isOwnerDir(name) && !entry.equals(dir) && Files.isDirectory(entry)) {
                    for (Path file : list(entry)) {
                        if (runOfSegment(file) != null) {
                            others += countLines(file);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // Only a count for the log: this owner's own events do not depend on it.
            AgentLog.warn("spool " + root + ": cannot count the events of other owners", e);
            return;
        }
        if (others > 0) {
            AgentLog.info("spool " + root + ": " + others + " cost event" + (others == 1 ? "" : "s")
                    + " of other API keys or base URLs wait here; only a run with their own key and URL sends them");
        }
        if (unowned > 0) {
            AgentLog.warn("spool " + root + ": " + unowned + " cost event" + (unowned == 1 ? "" : "s")
                    + " written by an older agent without their API key and base URL (" + root.resolve(PREFIX + "*" + JSONL_SUFFIX)
                    + (unowned == 1 ? ") is" : ") are") + " kept but never sent, since they cannot be told apart from another account's;"
                    + " see the spool in docs/api.md");
        }
    }

    /** Takes over a run's segments when its lock is free (its process is gone). */
    private void adopt(String run) throws IOException {
        RunLock lock = RunLock.tryAcquire(dir.resolve(PREFIX + run + LOCK_SUFFIX));
        if (lock == null) {
            return; // a live process owns it
        }
        // Listed again under the lock: a run that finished them in the meantime deleted them first.
        List<Path> segments = new ArrayList<>();
        for (Path file : list(dir)) {
            if (run.equals(runOfSegment(file))) {
                segments.add(file);
            }
        }
        if (segments.isEmpty()) {
            lock.release(true);
            return;
        }
        segments.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
        for (Path file : segments) {
            long lines = countLines(file);
            backlog.add(new Segment(file, lock, lines));
            pendingEvents += lines;
        }
    }

    private boolean reserve(long bytes) throws IOException {
        if (totalBytes + bytes <= maxBytes) {
            return true;
        }
        totalBytes = Files.isDirectory(root) ? countBytes() : 0;
        return totalBytes + bytes <= maxBytes;
    }

    private void openSegment() throws IOException {
        lockOwnRun();
        current = new JsonlAppender(dir.resolve(PREFIX + runId + "." + String.format(Locale.ROOT, "%06d", nextSeq++)
                + JSONL_SUFFIX), true);
        currentBytes = 0;
        currentEvents = 0;
    }

    private void sealCurrent() {
        current.close();
        backlog.addLast(new Segment(current.path(), ownLock, currentEvents));
        current = null;
        currentBytes = 0;
        currentEvents = 0;
    }

    private void lockOwnRun() throws IOException {
        if (ownLock != null) {
            return;
        }
        OwnerOnlyFiles.createDirectories(dir);
        ownLock = RunLock.tryAcquire(dir.resolve(PREFIX + runId + LOCK_SUFFIX));
        if (ownLock == null) {
            throw new IOException("spool " + dir + ": cannot lock this run's file " + PREFIX + runId + LOCK_SUFFIX);
        }
    }

    /** Deletes a fully acknowledged segment; releases an adopted run's lock after its last one. */
    private void finish(Segment segment) throws IOException {
        backlog.removeFirst();
        long size = sizeOf(segment.path);
        Files.deleteIfExists(segment.path);
        totalBytes = Math.max(0, totalBytes - size);
        pendingEvents -= segment.expectedEvents - segment.events.size(); // counted lines that were no events (torn)
        if (segment.owner != ownLock && backlog.stream().noneMatch(s -> s.owner == segment.owner)) {
            segment.owner.release(true);
        }
    }

    /** The spool files ({@code run-*}) of a folder. */
    private static List<Path> list(Path folder) throws IOException {
        return list(folder, PREFIX + "*");
    }

    private static List<Path> list(Path folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, glob)) {
            for (Path p : stream) {
                files.add(p);
            }
        } catch (NoSuchFileException e) {
            // another owner's folder, gone while listed
        }
        return files;
    }

    /** The bytes of every spool file of the directory: unowned ones and every owner's. */
    private long countBytes() throws IOException {
        long sum = 0;
        for (Path entry : list(root, "*")) {
            String name = entry.getFileName().toString();
            if (name.startsWith(PREFIX) && name.endsWith(JSONL_SUFFIX)) {
                sum += sizeOf(entry);
            } else if (SpoolOwner.isOwnerDir(name) && Files.isDirectory(entry)) {
                for (Path file : list(entry)) {
                    if (file.getFileName().toString().endsWith(JSONL_SUFFIX)) {
                        sum += sizeOf(file);
                    }
                }
            }
        }
        return sum;
    }

    /** The run id of a segment file name {@code run-<id>.<seq>.jsonl}, else null (lock, rejected, other files). */
    static String runOfSegment(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(JSONL_SUFFIX) || name.endsWith(REJECTED_SUFFIX)) {
            return null;
        }
        String stem = name.substring(PREFIX.length(), name.length() - JSONL_SUFFIX.length());
        int dot = stem.lastIndexOf('.');
        if (dot <= 0 || dot == stem.length() - 1) {
            return null;
        }
        for (int i = dot + 1; i < stem.length(); i++) {
            if (!Character.isDigit(stem.charAt(i))) {
                return null;
            }
        }
        return stem.substring(0, dot);
    }

    private static long seqOf(Path segment) {
        String name = segment.getFileName().toString();
        String stem = name.substring(0, name.length() - JSONL_SUFFIX.length());
        return Long.parseLong(stem.substring(stem.lastIndexOf('.') + 1));
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Lines of a segment (a last line without {@code \n} counts): its events, before it is read. */
    private static long countLines(Path file) throws IOException {
        long lines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                last = buf[n - 1];
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return last == '\n' ? lines : lines + 1;
    }

    /** Makes a new file's directory entry durable (best effort: not every platform can fsync a directory). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // the file's own data is still fsync'd on every append
        }
    }

    private static byte[] rejectedLine(CostEvent event, int status, String code, String error) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = CostEventJson.newGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("rejectedAt", Instant.now().toString());
            g.writeNumberField("status", status);
            if (code != null) {
                g.writeStringField("code", code);
            }
            g.writeStringField("error", error);
            g.writeFieldName("event");
            CostEventJson.write(g, event, true);
            g.writeEndObject();
            g.writeRaw('\n');
        }
        return out.toByteArray();
    }

    private static String newRunId() {
        return RUN_TIME.format(Instant.now()) + "-" + ProcessHandle.current().pid() + "-"
                + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** One segment file of the backlog; its events are read when it is first needed. */
    static final class Segment {
        final Path path;
        final RunLock owner;
        final long expectedEvents;
        List<CostEvent> events;
        int cursor;

        Segment(Path path, RunLock owner, long expectedEvents) {
            this.path = path;
            this.owner = owner;
            this.expectedEvents = expectedEvents;
        }

        void load() throws IOException {
            events = LedgerReader.readAll(path).events();
        }
    }

    /** A run's lock file, held through an open channel. */
    static final class RunLock {
        private final Path path;
        private final FileChannel channel;

        private RunLock(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        /** The lock, or null when another process (or this one) holds it. */
        static RunLock tryAcquire(Path path) throws IOException {
            FileChannel channel = OwnerOnlyFiles.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            try {
                FileLock lock = channel.tryLock();
                // Deleted between our open and our lock: its owner finished with it, nothing to take.
                if (lock == null || !Files.exists(path)) {
                    channel.close();
                    return null;
                }
                return new RunLock(path, channel);
            } catch (OverlappingFileLockException e) {
                channel.close();
                return null;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** Releases the lock; deletes the file first when asked, so nobody can take a lock on a finished run. */
        void release(boolean delete) {
            try {
                if (delete) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                AgentLog.warn("spool: cannot delete " + path, e);
            }
            try {
                channel.close();
            } catch (IOException e) {
                AgentLog.warn("spool: cannot close " + path, e);
            }
        }
    }
}
