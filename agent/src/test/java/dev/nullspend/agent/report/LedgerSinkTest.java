package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerSinkTest {

    @TempDir
    Path dir;

    @Test
    void appendsOneLinePerEventForEachBatch() throws IOException {
        Path ledger = dir.resolve("a/b/nullspend-ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 4));
            sink.write(TestEvents.events(4, 4));
            sink.write(TestEvents.events(8, 4));
        }

        List<String> lines = Files.readAllLines(ledger, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).isEqualTo(CostEventJson.toJson(TestEvents.event(0), true));
        assertThat(lines.get(11)).isEqualTo(CostEventJson.toJson(TestEvents.event(11), true));
        assertThat(Files.readString(ledger)).endsWith("}\n");
    }

    @Test
    void appendsToAnExistingLedgerAcrossSinks() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        try (LedgerSink first = new LedgerSink(ledger.toFile())) {
            first.write(TestEvents.events(0, 2));
        }
        try (LedgerSink second = new LedgerSink(ledger)) {
            second.write(TestEvents.events(2, 3));
        }

        assertThat(TestEvents.keys(LedgerReader.readAll(ledger).events())).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
    }

    @Test
    void tornLastLineIsSkippedAndTheNextBatchStartsOnANewLine() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 2));
        }
        String whole = CostEventJson.toJson(TestEvents.event(99), true);
        Files.writeString(ledger, whole.substring(0, whole.length() / 2), StandardOpenOption.APPEND);

        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(2, 2));
        }

        List<String> lines = Files.readAllLines(ledger);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).isEqualTo(whole.substring(0, whole.length() / 2));
        LedgerReader.Contents contents = LedgerReader.readAll(ledger);
        assertThat(TestEvents.keys(contents.events())).containsExactly("k-0", "k-1", "k-2", "k-3");
        assertThat(contents.skippedLines()).isEqualTo(1);
    }

    @Test
    void concurrentAppendersNeverInterleaveLines() throws Exception {
        // Two sinks on one file stand in for two processes: separate channels, both in APPEND mode.
        Path ledger = dir.resolve("shared.jsonl");
        int writers = 4;
        int batches = 25;
        int perBatch = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = w * batches * perBatch;
            Thread t = new Thread(() -> {
                try (LedgerSink sink = new LedgerSink(ledger)) {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        sink.write(TestEvents.events(base + b * perBatch, perBatch));
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(failures).isEmpty();
        LedgerReader.Contents contents = LedgerReader.readAll(ledger);
        assertThat(contents.skippedLines()).isZero();
        assertThat(contents.events()).hasSize(writers * batches * perBatch);
        assertThat(TestEvents.keys(contents.events())).doesNotHaveDuplicates();
    }

    @Test
    void writeAfterCloseFails() {
        LedgerSink sink = new LedgerSink(dir.resolve("closed.jsonl"));
        sink.close();
        sink.close();

        assertThatThrownBy(() -> sink.write(List.of(TestEvents.event(0))))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void unwritablePathFailsWithIOExceptionAndRecoversWhenFixed() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        Path ledger = blocker.resolve("ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            List<CostEvent> batch = TestEvents.events(0, 1);
            assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(IOException.class);

            Files.delete(blocker);
            sink.write(batch);
        }

        assertThat(LedgerReader.readAll(ledger).events()).hasSize(1);
    }

    @Test
    void describesItselfByAbsolutePath() {
        LedgerSink sink = new LedgerSink(dir.resolve("x.jsonl"));

        assertThat(sink.describe()).isEqualTo("ledger: " + dir.resolve("x.jsonl").toAbsolutePath());
    }
}
