package dev.nullspend.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stepping a forked program that waits for files ({@code await=}) and waiting, bounded, for what it
 * writes; file operations that fail the test instead of declaring {@code IOException}.
 */
public final class AwaitedFiles {

    private AwaitedFiles() {
    }

    /**
     * Polls {@code done} every 10 ms until it holds, for at most 30 s: the caller then asserts what it waited
     * for, so a program that never gets there fails on that assertion, not on a time.
     */
    public static void until(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Creates the empty file a waiting program looks for. */
    public static void create(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
