package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static dev.nullspend.it.support.AwaitedFiles.create;
import static dev.nullspend.it.support.AwaitedFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.LedgerPhasesApp;
import dev.nullspend.it.support.AwaitedFiles;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.Ledger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log rotation of the ledger while a real JVM writes it, the three ways logrotate does it: the ledger moved
 * away ({@code create}), deleted after a copy, and copied then truncated ({@code copytruncate}). Every event
 * ends up in exactly one of the files, in the one that held the ledger's path when it was written.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class LedgerRotationIT {

    private static final int PHASES = 4;
    private static final int PER_PHASE = 5;
    private static final long COST = 7;

    @TempDir
    Path workDir;

    @Test
    void everyEventIsInExactlyOneFileAfterMoveDeleteAndTruncate() {
        Path ledger = workDir.resolve(ForkedJvm.LEDGER_FILE);
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(LedgerPhasesApp.class)
                .args(Integer.toString(PHASES), Integer.toString(PER_PHASE), Long.toString(COST))
                .systemProperty("nullspend.reporter.batch-size", Integer.toString(PER_PHASE))
                .onStdoutLine(line -> {
                    if (!line.startsWith("phase=")) {
                        return;
                    }
                    int phase = Integer.parseInt(line.substring("phase=".length()));
                    awaitLines(ledger, PER_PHASE);
                    rotate(phase, ledger);
                    create(workDir.resolve("go-" + phase));
                })
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(keys(workDir.resolve("ledger.jsonl.1"))).as("moved away").isEqualTo(phaseKeys(1));
        assertThat(keys(workDir.resolve("ledger.jsonl.2"))).as("copied, then deleted").isEqualTo(phaseKeys(2));
        assertThat(keys(workDir.resolve("ledger.jsonl.3"))).as("copied, then truncated").isEqualTo(phaseKeys(3));
        assertThat(keys(ledger)).as("the path after the last rotation").isEqualTo(phaseKeys(4));
        assertThat(read(ledger)).as("no hole (NUL bytes) where the truncated lines were").doesNotContain("\u0000")
                .hasLineCount(PER_PHASE);
        assertThat(run.agentLines()).as(run.describe())
                .anyMatch(l -> l.contains("ledger: " + ledger + " (20 events written, 0 dropped"))
                .filteredOn(l -> l.contains("was moved away or deleted (rotated?)")).hasSize(2);
    }

    /** Phase 1: {@code mv}; 2: {@code cp} and {@code rm}; 3: {@code copytruncate}; 4: nothing. */
    private void rotate(int phase, Path ledger) {
        try {
            switch (phase) {
                case 1 -> Files.move(ledger, workDir.resolve("ledger.jsonl.1"));
                case 2 -> {
                    Files.copy(ledger, workDir.resolve("ledger.jsonl.2"));
                    Files.delete(ledger);
                }
                case 3 -> {
                    Files.copy(ledger, workDir.resolve("ledger.jsonl.3"));
                    try (FileChannel c = FileChannel.open(ledger, StandardOpenOption.WRITE)) {
                        c.truncate(0);
                    }
                }
                default -> {
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> phaseKeys(int phase) {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= PER_PHASE; i++) {
            keys.add("p" + phase + "-e" + i);
        }
        return keys;
    }

    private static List<String> keys(Path file) {
        return Ledger.read(file).stream().map(e -> e.path("idempotencyKey").asText()).toList();
    }

    /** Waits (bounded) until the child's batch for this phase is in the file at the ledger's path. */
    private static void awaitLines(Path ledger, int lines) {
        AwaitedFiles.until(() -> {
            try {
                return Ledger.read(ledger).size() >= lines;
            } catch (AssertionError halfWritten) {
                return false; // read while the batch was being written: look again
            }
        });
    }
}
