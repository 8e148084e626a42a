package dev.nullspend.agent.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Ledger and spool files the agent creates are readable by their owner only; what exists keeps its mode. */
class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewLedgerAndItsNewDirectoriesAreOwnerOnly() throws IOException {
        Path ledger = dir.resolve("a/b/ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 1));
        }

        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(ledger)).isEqualTo("rw-------");
    }

    @Test
    void aLedgerRecreatedAfterRotationIsOwnerOnlyToo() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 1));
            Files.move(ledger, dir.resolve("ledger.jsonl.1"));
            sink.write(TestEvents.events(1, 1));
        }

        assertThat(mode(ledger)).isEqualTo("rw-------");
    }

    @Test
    void anExistingLedgerAndDirectoryKeepTheModeTheirOwnerChose() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
        Path ledger = Files.createFile(shared.resolve("ledger.jsonl"));
        Files.setPosixFilePermissions(ledger, PosixFilePermissions.fromString("rw-r-----"));
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 1));
        }

        assertThat(mode(shared)).isEqualTo("rwxr-x---");
        assertThat(mode(ledger)).isEqualTo("rw-r-----");
        assertThat(LedgerReader.readAll(ledger).events()).hasSize(1);
    }

    @Test
    void spoolDirectoryAndSegmentsAreOwnerOnly() throws IOException {
        Path spoolDir = dir.resolve("home/.nullspend/spool");
        SpoolOwner owner = SpoolOwner.of("ns_test_key", "https://nullspend.example");
        Spool spool = new Spool(spoolDir, 1 << 20, owner);
        try {
            spool.append(TestEvents.events(0, 2));
        } finally {
            spool.close();
        }

        assertThat(mode(dir.resolve("home"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("home/.nullspend"))).isEqualTo("rwx------");
        assertThat(mode(spoolDir)).isEqualTo("rwx------");
        Path ownerDir = spoolDir.resolve(owner.dirName());
        assertThat(mode(ownerDir)).isEqualTo("rwx------");
        try (var files = Files.list(ownerDir)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }
}
