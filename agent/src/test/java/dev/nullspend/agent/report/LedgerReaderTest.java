package dev.nullspend.agent.report;

import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerReaderTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void missingFileIsAnEmptyLedger() throws IOException {
        LedgerReader.Contents contents = LedgerReader.readAll(dir.resolve("none.jsonl"));

        assertThat(contents.events()).isEmpty();
        assertThat(contents.skippedLines()).isZero();
    }

    @Test
    void skipsMalformedAndTornLinesIgnoresBlankOnesAndLogsOnce() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        String good0 = CostEventJson.toJson(TestEvents.event(0), true);
        String good1 = CostEventJson.toJson(TestEvents.event(1), true);
        String good2 = CostEventJson.toJson(TestEvents.event(2), true);
        Files.writeString(ledger, good0 + "\n"
                + "not json\n"
                + "\n"
                + good1 + "\r\n"
                + "{\"model\":\"no-provider\"}\n"
                + good2 + "\n"
                + good2.substring(0, 40));

        LedgerReader.Contents contents = LedgerReader.readAll(ledger);

        assertThat(TestEvents.keys(contents.events())).containsExactly("k-0", "k-1", "k-2");
        assertThat(contents.skippedLines()).isEqualTo(3);
        assertThat(log.text()).hasLineCount(1)
                .contains("skipped 3 unreadable lines (first at line 2: ");
    }

    @Test
    void aCompleteLastLineWithoutNewlineIsRead() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        Files.writeString(ledger, CostEventJson.toJson(TestEvents.event(7), true));

        assertThat(TestEvents.keys(LedgerReader.readAll(ledger).events())).containsExactly("k-7");
    }

    @Test
    void visitorStreamsLinesThatSpanReadChunks() throws IOException {
        // ~5,000 lines of ~300 bytes cross many 64 KiB chunk boundaries.
        Path ledger = dir.resolve("big.jsonl");
        int count = 5_000;
        try (LedgerSink sink = new LedgerSink(ledger)) {
            for (int i = 0; i < count; i += 500) {
                sink.write(TestEvents.events(i, 500));
            }
        }
        List<String> seen = new ArrayList<>();
        long[] cost = {0};

        LedgerReader.Tally tally = LedgerReader.forEach(ledger, e -> {
            seen.add(e.idempotencyKey());
            cost[0] += e.costMicrodollars();
        });

        assertThat(tally).isEqualTo(new LedgerReader.Tally(count, 0));
        assertThat(seen).hasSize(count).first().isEqualTo("k-0");
        assertThat(seen.get(count - 1)).isEqualTo("k-" + (count - 1));
        assertThat(cost[0]).isEqualTo(9L * count);
    }

    @Test
    void overlongLinesAreSkippedWithoutBeingBuffered() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        String good = CostEventJson.toJson(TestEvents.event(1), true);
        Files.writeString(ledger, "x".repeat(200_000) + "\n" + good + "\n" + "y".repeat(300));
        List<CostEvent> events = new ArrayList<>();

        LedgerReader.Tally tally = LedgerReader.forEach(ledger, events::add, 1_000);

        assertThat(tally).isEqualTo(new LedgerReader.Tally(1, 2));
        assertThat(TestEvents.keys(events)).containsExactly("k-1");
        assertThat(log.text()).contains("longer than 1000 bytes");
    }

    @Test
    void visitorExceptionsPropagate() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        try (LedgerSink sink = new LedgerSink(ledger)) {
            sink.write(TestEvents.events(0, 3));
        }

        assertThatThrownBy(() -> LedgerReader.forEach(ledger, e -> {
            throw new IllegalStateException("stop");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop");
    }

    @Test
    @Timeout(60) // before the fix the scan read /dev/zero without end
    void aDeviceIsNeverScannedAsALedger() {
        assertThatThrownBy(() -> LedgerReader.scan(Path.of("/dev/zero"), 0, new RecentKeys(), e -> { }))
                .isInstanceOf(IOException.class).hasMessage("/dev/zero is not a regular file");
    }

    @Test
    void duplicatesAreSkippedAndCountedAndTheScanEndsAfterTheLastCompleteLine() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        String e0 = CostEventJson.toJson(TestEvents.event(0), true) + "\n";
        String e1 = CostEventJson.toJson(TestEvents.event(1), true) + "\n";
        String e2 = CostEventJson.toJson(TestEvents.event(2), true) + "\n";
        Files.writeString(ledger, e0 + e1 + e0 + e1 + e2 + "{\"provider\":\"open");
        List<String> seen = new ArrayList<>();

        LedgerReader.Scan scan = LedgerReader.scan(ledger, 0, new RecentKeys(), e -> seen.add(e.idempotencyKey()));

        assertThat(seen).containsExactly("k-0", "k-1", "k-2");
        assertThat(scan).isEqualTo(new LedgerReader.Scan(3, 1, 2, (e0 + e1 + e0 + e1 + e2).length()));
        assertThat(log.text()).contains("skipped 2 duplicate events");

        // From an offset, with the keys seen before it: only what follows, duplicates still found.
        RecentKeys keys = new RecentKeys();
        keys.add("k-2");
        List<String> tail = new ArrayList<>();
        LedgerReader.Scan rest = LedgerReader.scan(ledger, (e0 + e1).length(), keys, e -> tail.add(e.idempotencyKey()));
        assertThat(tail).containsExactly("k-0", "k-1");
        assertThat(rest.duplicates()).isEqualTo(1);
    }
}
