package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Appends blocks of complete JSON lines to one file, for the ledger and the spool.
 *
 * <ul>
 *   <li>Each block goes to the OS in a single {@link FileChannel#write} on a channel opened in
 *       {@code APPEND} mode ({@code O_APPEND}): on a local file system the blocks of several
 *       processes appending to the same file never interleave (network file systems do not
 *       promise this), and every block lands at the file's current end, also after another
 *       program truncated it ({@code copytruncate} rotation).</li>
 *   <li>No user-space buffer: once {@link #append} returns, the lines are in the OS and survive a
 *       crash of this process. With {@code force}, they are also on the device (fsync) and
 *       survive a power loss, at the price of milliseconds per block.</li>
 *   <li>Rotation: before each block the file at the path is compared with the open one (its
 *       file key, one {@code stat}); when it was moved away or deleted, the path is opened anew,
 *       so nothing goes on into a renamed file nor into a deleted one.</li>
 *   <li>A failed write (full disk) never leaves a torn line behind when it can help it: when the
 *       file still ends where the failed write stopped, it is truncated back to the last complete
 *       line, and the caller learns how many lines made it ({@link PartialWriteException}) so it
 *       writes only the rest again. Otherwise (a crash, or another process appended meanwhile) a
 *       {@code \n} goes first before the next block when the file does not end with one, so the
 *       torn line stays alone on its line and {@link LedgerReader} skips it.</li>
 *   <li>A created file is {@code 0600} and its missing directories {@code 0700} ({@link OwnerOnlyFiles}).</li>
 * </ul>
 *
 * <p>The channels are opened on the first append and kept open; after a failure they are closed
 * and reopened on the next one (a write interrupted by {@link Thread#interrupt()} closes a
 * {@link FileChannel} for good). Not thread-safe: callers serialise.
 */
final class JsonlAppender {
    /** Writes in a row that accept no byte before the block counts as failed (a device that takes nothing). */
    private static final int MAX_EMPTY_WRITES = 3;

    /** Opens the appending channel; a test can make it fail the way a full disk does. */
    interface Opener {
        FileChannel open(Path path, Set<StandardOpenOption> options) throws IOException;
    }

    private final Path path;
    private final boolean force;
    private final Opener opener;
    private FileChannel append;
    /** Separate channel for the size and last-byte checks: the JDK refuses READ together with APPEND. */
    private FileChannel read;
    /** The file key of the open file, or null when the file system has none (no rotation check then). */
    private Object openKey;
    private long reopened;

    JsonlAppender(Path path, boolean force) {
        this(path, force, OwnerOnlyFiles::open);
    }

    JsonlAppender(Path path, boolean force, Opener opener) {
        this.path = path;
        this.force = force;
        this.opener = opener;
    }

    Path path() {
        return path;
    }

    /** How often the path was opened anew because its file was moved away or deleted. */
    long reopenedAfterRotation() {
        return reopened;
    }

    /**
     * Appends {@code lines} (complete lines, each ending with {@code \n}).
     *
     * @return the bytes added to the file, a repairing {@code \n} included
     * @throws PartialWriteException when the write failed; its count of complete lines that are
     *                               in the file (0 when none) tells what not to write again
     */
    long append(byte[] lines) throws IOException {
        return append(lines, lines.length);
    }

    /** {@link #append(byte[])} of the first {@code length} bytes of {@code lines}: a reused buffer. */
    long append(byte[] lines, int length) throws IOException {
        int done = 0;
        int prefix = 0;
        long before = -1;
        try {
            openIfNeeded();
            reopenIfRotated();
            before = read.size();
            prefix = endsWithNewline(before) ? 0 : 1;
            ByteBuffer buffer = prefix == 0 ? ByteBuffer.wrap(lines, 0, length)
                    : ByteBuffer.allocate(length + 1).put((byte) '\n').put(lines, 0, length).flip();
            long size = buffer.remaining();
            // One call writes everything on a regular file; the loop only matters after a short
            // write (full disk), where atomicity is lost anyway and the rest must still follow.
            for (int empty = 0; buffer.hasRemaining(); ) {
                int n = append.write(buffer);
                done += n;
                if (n > 0) {
                    empty = 0;
                } else if (++empty >= MAX_EMPTY_WRITES) {
                    throw new IOException(path + " accepts no more bytes");
                }
            }
            if (force) {
                append.force(false);
            }
            return size;
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException x ? x : new IOException("cannot append to " + path, e);
            int written = Math.max(0, done - prefix);
            int complete = lastLineEnd(lines, Math.min(written, length));
            if (written > complete && before >= 0) {
                removeTornLine(before + prefix + complete, before + done);
            }
            close();
            throw new PartialWriteException(countLines(lines, complete), io);
        }
    }

    /** Closes the channels; the next {@link #append} reopens them. Never throws. */
    void close() {
        closeQuietly(append);
        closeQuietly(read);
        append = null;
        read = null;
        openKey = null;
    }

    private void openIfNeeded() throws IOException {
        if (append != null) {
            return;
        }
        OwnerOnlyFiles.createParents(path);
        append = opener.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        read = FileChannel.open(path, StandardOpenOption.READ);
        openKey = fileKey();
    }

    /** Opens the path anew when the open file is no longer the one at the path (moved away or deleted). */
    private void reopenIfRotated() throws IOException {
        if (openKey == null) {
            return;
        }
        Object now;
        try {
            now = fileKey();
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (Objects.equals(openKey, now)) {
            return;
        }
        close();
        openIfNeeded();
        reopened++;
        AgentLog.info(path + " was moved away or deleted (rotated?): writing on into a new file at that path");
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /**
     * After a failed write: when the file still ends exactly where the write stopped (nobody
     * appended since), cut the torn line off so the file ends with a complete line again.
     */
    private void removeTornLine(long keep, long expectedSize) {
        try {
            if (append != null && append.isOpen() && read.size() == expectedSize) {
                append.truncate(keep);
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("could not remove a torn line from " + path + ": " + e);
        }
    }

    private boolean endsWithNewline(long size) throws IOException {
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        return read.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    /** The length of the complete lines within the first {@code length} bytes. */
    private static int lastLineEnd(byte[] lines, int length) {
        for (int i = Math.min(length, lines.length) - 1; i >= 0; i--) {
            if (lines[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private static int countLines(byte[] lines, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (lines[i] == '\n') {
                n++;
            }
        }
        return n;
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
