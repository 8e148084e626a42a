package dev.nullspend.agent.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger at its path after logrotate moved, deleted or truncated it while the sink kept it open. */
class LedgerRotationTest {

    @TempDir
    Path dir;

    @Test
    void aLedgerMovedAwayIsCreatedAnewAtItsPath() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        JsonlAppender file = writeAroundRotation(ledger, l -> Files.move(l, dir.resolve("ledger.jsonl.1")));

        assertThat(TestEvents.keys(LedgerReader.readAll(dir.resolve("ledger.jsonl.1")).events()))
                .containsExactly("k-0", "k-1", "k-2");
        assertThat(TestEvents.keys(LedgerReader.readAll(ledger).events())).containsExactly("k-3", "k-4");
        assertThat(file.reopenedAfterRotation()).isEqualTo(1);
    }

    @Test
    void aDeletedLedgerIsCreatedAnewAtItsPath() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 3));
            Files.delete(ledger);
            sink.write(TestEvents.events(3, 2));
            sink.write(TestEvents.events(5, 1));
        }

        assertThat(TestEvents.keys(LedgerReader.readAll(ledger).events())).containsExactly("k-3", "k-4", "k-5");
    }

    @Test
    void aTruncatedLedgerGetsTheNextBatchAtItsNewEndWithoutAHole() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        JsonlAppender file = writeAroundRotation(ledger, l -> {
            Files.copy(l, dir.resolve("ledger.jsonl.1"));
            try (FileChannel c = FileChannel.open(l, StandardOpenOption.WRITE)) {
                c.truncate(0); // logrotate copytruncate
            }
        });

        byte[] expected = CostEventJson.lines(TestEvents.events(3, 2), true);
        assertThat(Files.readAllBytes(ledger)).as("no NUL bytes where the old lines were").isEqualTo(expected);
        assertThat(TestEvents.keys(LedgerReader.readAll(dir.resolve("ledger.jsonl.1")).events()))
                .containsExactly("k-0", "k-1", "k-2");
        assertThat(file.reopenedAfterRotation()).isZero();
    }

    /** Writes k-0 … k-2 to {@code ledger}, lets {@code rotate} act on the file as a log rotator does, then writes k-3, k-4. */
    private static JsonlAppender writeAroundRotation(Path ledger, Rotation rotate) throws IOException {
        JsonlAppender file = new JsonlAppender(ledger, false);
        try (LedgerSink sink = new LedgerSink(file)) {
            sink.write(TestEvents.events(0, 3));
            rotate.apply(ledger);
            sink.write(TestEvents.events(3, 2));
        }
        return file;
    }

    private interface Rotation {
        void apply(Path ledger) throws IOException;
    }
}
