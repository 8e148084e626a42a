package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends blocks of complete JSON lines to one file, for the ledger and the spool.
 *
 * <ul>
 *   <li>Each block goes to the OS in a single {@link FileChannel#write} on a channel opened in
 *       {@code APPEND} mode ({@code O_APPEND}): on a local file system the blocks of several
 *       processes appending to the same file never interleave (network file systems do not
 *       promise this).</li>
 *   <li>No user-space buffer: once {@link #append} returns, the lines are in the OS and survive a
 *       crash of this process. With {@code force}, they are also on the device (fsync) and
 *       survive a power loss, at the price of milliseconds per block.</li>
 *   <li>A crash or a full disk in the middle of a write can leave at most a torn last line.
 *       Before every block the last byte of the file is checked and a {@code \n} goes first when
 *       it is not one, so the torn line stays alone on its line and {@link LedgerReader} skips it.</li>
 * </ul>
 *
 * <p>The channels are opened on the first append and kept open; after a failure they are closed
 * and reopened on the next one (a write interrupted by {@link Thread#interrupt()} closes a
 * {@link FileChannel} for good). Not thread-safe: callers serialise.
 */
final class JsonlAppender {
    private final Path path;
    private final boolean force;
    private FileChannel append;
    /** Separate channel for the last-byte check: the JDK refuses READ together with APPEND. */
    private FileChannel read;

    JsonlAppender(Path path, boolean force) {
        this.path = path;
        this.force = force;
    }

    Path path() {
        return path;
    }

    /**
     * Appends {@code lines} (complete lines, each ending with {@code \n}).
     *
     * @return the bytes added to the file, a repairing {@code \n} included
     */
    long append(byte[] lines) throws IOException {
        try {
            openIfNeeded();
            ByteBuffer buffer;
            if (endsWithNewline()) {
                buffer = ByteBuffer.wrap(lines);
            } else {
                buffer = ByteBuffer.allocate(lines.length + 1).put((byte) '\n').put(lines).flip();
            }
            long size = buffer.remaining();
            // One call writes everything on a regular file; the loop only matters after a short
            // write (full disk), where atomicity is lost anyway and the rest must still follow.
            while (buffer.hasRemaining()) {
                append.write(buffer);
            }
            if (force) {
                append.force(false);
            }
            return size;
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException("cannot append to " + path, e);
        }
    }

    /** Closes the channels; the next {@link #append} reopens them. Never throws. */
    void close() {
        closeQuietly(append);
        closeQuietly(read);
        append = null;
        read = null;
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

    private void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            AgentLog.warn("could not close " + path, e);
        }
    }
}
