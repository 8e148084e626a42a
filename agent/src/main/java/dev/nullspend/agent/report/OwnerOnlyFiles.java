package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the ledger, spool and spend-record files ({@code 0600}) and the directories the agent
 * makes for them ({@code 0700}): they hold costs, tags and customer ids. The mode is given at
 * creation, so a file or directory that already exists keeps the mode its owner chose, and no
 * other process ever sees a wider mode. On a file system without POSIX permissions the files are
 * created without a mode (logged at debug level once).
 */
public final class OwnerOnlyFiles {

    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private OwnerOnlyFiles() {
    }

    /** {@link FileChannel#open} that creates a missing file as {@code 0600}; pass {@code CREATE} among the options. */
    public static FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        try {
            return FileChannel.open(file, options, FILE_MODE);
        } catch (UnsupportedOperationException e) {
            noPosix(file);
            return FileChannel.open(file, options);
        }
    }

    /** {@link Files#createDirectories}, each missing directory created as {@code 0700}. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return; // an existing directory keeps its mode, and a symlink to one is fine
        }
        try {
            Files.createDirectories(dir, DIRECTORY_MODE);
        } catch (UnsupportedOperationException e) {
            noPosix(dir);
            Files.createDirectories(dir);
        }
    }

    /** Creates the parent directories of {@code file} as {@link #createDirectories} does. */
    public static void createParents(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
    }

    /** A new empty file {@code 0600} in {@code dir}, for content that is then moved into place. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        try {
            return Files.createTempFile(dir, prefix, suffix, FILE_MODE);
        } catch (UnsupportedOperationException e) {
            noPosix(dir);
            return Files.createTempFile(dir, prefix, suffix);
        }
    }

    private static void noPosix(Path path) {
        if (AgentLog.isDebug()) {
            AgentLog.debug("no POSIX permissions on the file system of " + path + ": created without an owner-only mode");
        }
    }
}
