package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a JSONL ledger back (at start-up, to restore the spend of local budgets), and the spool's
 * segments, which have the same format. The file is streamed in chunks; only one line is held at
 * a time, and a line is bounded in size, so a damaged ledger without newlines cannot exhaust memory.
 *
 * <p>Reading never fails on content: a torn last line (a crash mid-write), a malformed line or
 * an overlong line is skipped and counted, blank lines are ignored, and a missing file is an
 * empty ledger. Only I/O errors (e.g. no permission) are thrown.
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
        InputStream in;
        try {
            in = Files.newInputStream(ledger);
        } catch (NoSuchFileException e) {
            return new Tally(0, 0);
        }
        LineScanner scanner = new LineScanner(visitor, maxLineBytes);
        try (in) {
            byte[] chunk = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.read(chunk)) != -1) {
                scanner.feed(chunk, n);
            }
        }
        scanner.finish();
        if (scanner.skipped > 0) {
            AgentLog.warn(ledger.toAbsolutePath() + ": skipped " + scanner.skipped + " unreadable line"
                    + (scanner.skipped == 1 ? "" : "s") + " (first at line " + scanner.firstSkippedLine + ": "
                    + scanner.firstSkipReason + ")");
        }
        return new Tally(scanner.events, scanner.skipped);
    }

    /** Splits bytes into lines ('\n' never occurs inside a multi-byte UTF-8 character) and parses each. */
    private static final class LineScanner {
        private final Consumer<? super CostEvent> visitor;
        private final int maxLineBytes;
        /** The start of a line that continues in the next chunk. */
        private byte[] pending = new byte[8 * 1024];
        private int pendingLength;
        private boolean overlong;
        private long lineNumber;
        long events;
        long skipped;
        long firstSkippedLine;
        String firstSkipReason;

        LineScanner(Consumer<? super CostEvent> visitor, int maxLineBytes) {
            this.visitor = visitor;
            this.maxLineBytes = maxLineBytes;
        }

        void feed(byte[] chunk, int length) {
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
            events++;
            visitor.accept(event);
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
