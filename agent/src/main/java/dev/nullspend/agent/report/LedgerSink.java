package dev.nullspend.agent.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The local JSONL ledger: appends each batch as one JSON object per line (UTF-8, {@code \n}),
 * every event with its {@code createdAt}.
 *
 * <p>Durability and sharing guarantees:
 * <ul>
 *   <li>A batch is serialised in memory first and handed to the OS in a single
 *       {@link FileChannel#write} of one byte array on a channel opened in {@code APPEND} mode
 *       ({@code O_APPEND}). The OS moves to the end of the file and writes in one step, so on a
 *       local file system the batches of several processes appending to the same ledger never
 *       interleave inside a batch. Network file systems (NFS, SMB) do not promise this.</li>
 *   <li>There is no user-space buffer: once {@link #write} returns, the lines are in the OS and
 *       survive a crash of this process (not a power loss: there is no fsync per batch, which
 *       would cost milliseconds on every flush).</li>
 *   <li>A crash or a full disk in the middle of a write can leave at most a torn last line.
 *       Before every batch the sink checks the file's last byte and starts with a {@code \n}
 *       when it is not one, so the torn line stays alone on its line and the reader skips it.
 *       When a short write fails after part of a batch reached the file, the retried batch can
 *       repeat the complete lines of that part; events carry an {@code idempotencyKey} for that.</li>
 * </ul>
 *
 * <p>The channels are opened on the first write and kept open; after a failed write they are
 * closed and reopened on the next one (a write interrupted by {@link Thread#interrupt()} closes
 * a {@link FileChannel} for good).
 */
public final class LedgerSink implements EventSink {

    private final Path path;
    private FileChannel append;
    /** Separate channel for the last-byte check: the JDK refuses READ together with APPEND. */
    private FileChannel read;
    private boolean closed;

    public LedgerSink(Path path) {
        this.path = path.toAbsolutePath();
    }

    public LedgerSink(File file) {
        this(file.toPath());
    }

    @Override
    public synchronized void write(List<CostEvent> batch) throws IOException {
        if (closed) {
            throw new IOException("ledger " + path + " is closed");
        }
        try {
            openIfNeeded();
            byte[] bytes = encode(batch, !endsWithNewline());
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            // One call writes everything on a regular file; the loop only matters after a short
            // write (full disk), where atomicity is lost anyway and the rest must still follow.
            while (buffer.hasRemaining()) {
                append.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e instanceof IOException io ? io : new IOException("cannot append to ledger " + path, e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeChannels();
    }

    @Override
    public String describe() {
        return "ledger: " + path;
    }

    private void openIfNeeded() throws IOException {
        if (append != null) {
            return;
        }
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        append = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        read = FileChannel.open(path, StandardOpenOption.READ);
    }

    private boolean endsWithNewline() throws IOException {
        long size = read.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        return read.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    private static byte[] encode(List<CostEvent> batch, boolean prependNewline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 400 + 1);
        if (prependNewline) {
            out.write('\n');
        }
        try (JsonGenerator g = CostEventJson.newGenerator(out)) {
            for (CostEvent event : batch) {
                CostEventJson.write(g, event, true);
                g.writeRaw('\n');
            }
        }
        return out.toByteArray();
    }

    private void closeChannels() {
        closeQuietly(append);
        closeQuietly(read);
        append = null;
        read = null;
    }

    private void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            AgentLog.warn("could not close ledger " + path, e);
        }
    }
}
