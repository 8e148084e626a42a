package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A ledger on a full disk (an injected short write, then "No space left on device") and a rotated ledger. */
class LedgerFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static int lineBytes(int n) {
        return CostEventJson.toJson(TestEvents.event(n), true).getBytes(StandardCharsets.UTF_8).length + 1;
    }

    @Test
    void aBatchCutShortByAFullDiskIsNeverWrittenTwiceAndLeavesNoTornLine() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        JsonlAppender file = new JsonlAppender(ledger, false, FullDiskChannel.opener(free));
        List<CostEvent> second = TestEvents.events(4, 5);
        try (LedgerSink sink = new LedgerSink(file)) {
            sink.write(TestEvents.events(0, 4));
            // Room for two lines and half of the third.
            free.set(lineBytes(4) + lineBytes(5) + lineBytes(6) / 2);

            PartialWriteException first = catchThrowableOfType(() -> sink.write(second), PartialWriteException.class);
            assertThat(first.delivered()).isEqualTo(2);
            assertThat(Files.readAllLines(ledger)).as("the torn third line was cut off").hasSize(6);
            assertThat(Files.readString(ledger)).endsWith("}\n");

            PartialWriteException again = catchThrowableOfType(() -> sink.write(second), PartialWriteException.class);
            assertThat(again.delivered()).as("still full: nothing more, nothing twice").isEqualTo(2);
            assertThat(Files.readAllLines(ledger)).hasSize(6);

            free.set(Long.MAX_VALUE);
            sink.write(second);
            sink.write(TestEvents.events(9, 1));
        }

        LedgerReader.Contents contents = LedgerReader.readAll(ledger);
        assertThat(contents.skippedLines()).isZero();
        assertThat(TestEvents.keys(contents.events())).containsExactly(
                "k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-7", "k-8", "k-9");
        assertThat(Files.readAllLines(ledger)).hasSize(10);
    }

    @Test
    void theReporterCountsWhatReachedTheLedgerAsWrittenAndOnlyTheRestAsDropped() throws IOException {
        Path ledger = dir.resolve("ledger.jsonl");
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        LedgerSink sink = new LedgerSink(new JsonlAppender(ledger, false, FullDiskChannel.opener(free)));
        Reporter reporter = Reporter.start(List.of(sink), new Reporter.Settings(100, 5, Duration.ofHours(1)));
        free.set(lineBytes(0) + lineBytes(1) + 10);
        for (CostEvent e : TestEvents.events(0, 5)) {
            reporter.submit(e);
        }
        for (int attempt = 1; attempt <= Reporter.MAX_ATTEMPTS; attempt++) {
            assertThat(reporter.flush(WAIT)).isTrue();
        }
        free.set(Long.MAX_VALUE);
        reporter.submit(TestEvents.event(5));
        reporter.shutdown(WAIT);

        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(6, 3, 3, 3));
        assertThat(TestEvents.keys(LedgerReader.readAll(ledger).events())).containsExactly("k-0", "k-1", "k-5");
        assertThat(Files.readAllLines(ledger)).hasSize(3);
    }
}
