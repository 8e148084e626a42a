package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a JSONL ledger back (at start-up, to restore the spend of local budgets), and the spool's
 * segments, which have the same format. The file is streamed in chunks; only one line is held at
 * a time, and a line is bounded in size, so a damaged ledger without newlines cannot exhaust memory.
 *
 * <p>Reading never fails on content: a torn last line (a crash mid-write), a malformed line or
 * an overlong line is skipped and counted, blank lines are ignored, and a missing file is an
 * empty ledger. An event whose {@code idempotencyKey} was read shortly before ({@link RecentKeys})
 * is a batch written twice: it is skipped and counted. Only I/O errors (e.g. no permission) are thrown.
 */
public final class LedgerReader {

    /** Far above any real event (a few hundred bytes); longer lines are skipped unparsed. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private static final int CHUNK_BYTES = 64 * 1024;

    private LedgerReader() {
    }

    /** Every readable event of a ledger, in file order, and how many lines were skipped. */
    public record Contents(List<CostEvent> events, long skippedLines) {
    }

    /** How many events were visited and how many lines were skipped. */
    public record Tally(long events, long skippedLines) {
    }

    /** Reads the whole ledger into a list; for large ledgers prefer {@link #forEach}. */
    public static Contents readAll(Path ledger) throws IOException {
        List<CostEvent> events = new ArrayList<>();
        Tally tally = forEach(ledger, events::add);
        return new Contents(List.copyOf(events), tally.skippedLines());
    }

    /**
     * Streams the ledger's readable events, in file order, to {@code visitor}; an exception
     * thrown by the visitor stops the reading and propagates.
     */
    public static Tally forEach(Path ledger, Consumer<? super CostEvent> visitor) throws IOException {
        return forEach(ledger, visitor, MAX_LINE_BYTES);
    }

    static Tally forEach(Path ledger, Consumer<? super CostEvent> visitor, int maxLineBytes) throws IOException {
        Scan scan = scan(ledger, 0, new RecentKeys(), visitor, maxLineBytes);
        return new Tally(scan.events(), scan.skippedLines());
    }

    /**
     * What {@link #scan} read: events passed on, lines skipped as unreadable, events skipped as
     * duplicates, and the offset just past the last complete line (where the next scan starts).
     */
    public record Scan(long events, long skippedLines, long duplicates, long endOffset) {
    }

    /**
     * Streams the ledger's readable events from byte {@code from} (the start of a line) to its end.
     * An event whose {@code idempotencyKey} is among {@code seen} (a batch written twice) is
     * skipped and counted, once per scan in the log. The last line, when the file does not end
     * with {@code \n}, is read if complete, but the returned end offset stays before it: it may
     * still be growing.
     */
    public static Scan scan(Path ledger, long from, RecentKeys seen, Consumer<? super CostEvent> visitor)
            throws IOException {
        return scan(ledger, from, seen, visitor, MAX_LINE_BYTES);
    }

    private static Scan scan(Path ledger, long from, RecentKeys seen, Consumer<? super CostEvent> visitor,
                             int maxLineBytes) throws IOException {
        SeekableByteChannel in;
        try {
            in = Files.newByteChannel(ledger);
        } catch (NoSuchFileException e) {
            return new Scan(0, 0, 0, 0);
        }
        if (!Files.isRegularFile(ledger)) {
            // A device such as /dev/full or /dev/zero reads without end: never start on it.
            in.close();
            throw new IOException(ledger + " is not a regular file");
        }
        try (in) {
            in.position(from);
            return read(in, from, ledger.toAbsolutePath().toString(), seen, visitor, maxLineBytes);
        }
    }

    /**
     * As {@link #scan(Path, long, RecentKeys, Consumer)}, from a channel already open at its start
     * (a rotated ledger behind a decompressing stream); the caller closes it. {@code name} names
     * the source in the log lines.
     */
    public static Scan scan(ReadableByteChannel in, String name, RecentKeys seen, Consumer<? super CostEvent> visitor)
            throws IOException {
        return read(in, 0, name, seen, visitor, MAX_LINE_BYTES);
    }

    private static Scan read(ReadableByteChannel in, long from, String name, RecentKeys seen,
                             Consumer<? super CostEvent> visitor, int maxLineBytes) throws IOException {
        LineScanner scanner = new LineScanner(event -> {
            String key = event.idempotencyKey();
            if (key == null || seen.add(key)) {
                visitor.accept(event);
                return true;
            }
            return false;
        }, maxLineBytes);
        long end = from;
        long position = from;
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        int n;
        while ((n = in.read(chunk.clear())) != -1) {
            position += n;
            int lastNewline = scanner.feed(chunk.array(), n);
            if (lastNewline >= 0) {
                end = position - n + lastNewline + 1;
            }
        }
        scanner.finish();
        if (scanner.skipped > 0) {
            AgentLog.warn(name + ": skipped " + scanner.skipped + " unreadable line"
                    + (scanner.skipped == 1 ? "" : "s") + " (first at line " + scanner.firstSkippedLine + ": "
                    + scanner.firstSkipReason + ")");
        }
        if (scanner.duplicates > 0) {
            AgentLog.warn(name + ": skipped " + scanner.duplicates + " duplicate event"
                    + (scanner.duplicates == 1 ? "" : "s") + " (an idempotencyKey already read, from a batch written twice)");
        }
        return new Scan(scanner.events, scanner.skipped, scanner.duplicates, end);
    }

    /** Splits bytes into lines ('\n' never occurs inside a multi-byte UTF-8 character) and parses each. */
    private static final class LineScanner {
        /** Takes an event; false when it was a duplicate and not passed on. */
        private final Predicate<CostEvent> visitor;
        private final int maxLineBytes;
        /** The start of a line that continues in the next chunk. */
        private byte[] pending = new byte[8 * 1024];
        private int pendingLength;
        private boolean overlong;
        private long lineNumber;
        long events;
        long skipped;
        long duplicates;
        long firstSkippedLine;
        String firstSkipReason;

        LineScanner(Predicate<CostEvent> visitor, int maxLineBytes) {
            this.visitor = visitor;
            this.maxLineBytes = maxLineBytes;
        }

        /** Reads the lines of a chunk; returns the index of its last '\n', or -1. */
        int feed(byte[] chunk, int length) {
            int start = 0;
            for (int i = 0; i < length; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                if (pendingLength == 0 && !overlong) {
                    // The common case: the whole line is inside this chunk, parse it in place.
                    endLine(chunk, start, i - start);
                } else {
                    keep(chunk, start, i - start);
                    endLine(pending, 0, pendingLength);
                }
                start = i + 1;
            }
            keep(chunk, start, length - start);
            return start - 1;
        }

        /** The last line when the file does not end with '\n' (often torn by a crash). */
        void finish() {
            if (pendingLength > 0 || overlong) {
                endLine(pending, 0, pendingLength);
            }
        }

        private void keep(byte[] chunk, int offset, int length) {
            if (overlong || length == 0) {
                return;
            }
            if (pendingLength + length > maxLineBytes) {
                overlong = true;
                pendingLength = 0;
                return;
            }
            if (pendingLength + length > pending.length) {
                int grown = Math.max(pending.length * 2, pendingLength + length);
                pending = Arrays.copyOf(pending, Math.min(maxLineBytes, grown));
            }
            System.arraycopy(chunk, offset, pending, pendingLength, length);
            pendingLength += length;
        }

        private void endLine(byte[] buf, int offset, int length) {
            lineNumber++;
            boolean wasOverlong = overlong;
            overlong = false;
            pendingLength = 0;
            if (wasOverlong || length > maxLineBytes) {
                skip("longer than " + maxLineBytes + " bytes");
            } else if (!isBlank(buf, offset, length)) {
                parse(buf, offset, length);
            }
        }

        private void parse(byte[] buf, int offset, int length) {
            CostEvent event;
            try {
                event = CostEventJson.parse(buf, offset, length);
            } catch (CostEventJson.MalformedEventException e) {
                skip(e.reason());
                return;
            }
            if (visitor.test(event)) {
                events++;
            } else {
                duplicates++;
            }
        }

        private void skip(String reason) {
            if (skipped++ == 0) {
                firstSkippedLine = lineNumber;
                firstSkipReason = reason;
            }
        }

        private static boolean isBlank(byte[] buf, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                byte b = buf[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
