package dev.nullspend.agent.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real file channel on a disk with little room, as the OS behaves when it fills: a write that
 * does not fit writes what fits (a short write) and the next one fails with "No space left on
 * device". {@link #opener(AtomicLong)} shares one free-space counter between reopened channels, so
 * a test frees space by raising it.
 */
final class FullDiskChannel extends FileChannel {
    private final FileChannel file;
    private final AtomicLong free;

    private FullDiskChannel(FileChannel file, AtomicLong free) {
        this.file = file;
        this.free = free;
    }

    static JsonlAppender.Opener opener(AtomicLong free) {
        return (Path path, Set<StandardOpenOption> options) -> new FullDiskChannel(OwnerOnlyFiles.open(path, options), free);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long room = free.get();
        if (room <= 0) {
            throw new IOException("No space left on device");
        }
        if (src.remaining() <= room) {
            int n = file.write(src);
            free.addAndGet(-n);
            return n;
        }
        ByteBuffer part = src.slice().limit((int) room);
        int n = file.write(part);
        src.position(src.position() + n);
        free.addAndGet(-n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        long before = file.size();
        file.truncate(size);
        free.addAndGet(Math.max(0, before - size));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
