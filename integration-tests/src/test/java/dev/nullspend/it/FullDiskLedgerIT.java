package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static dev.nullspend.it.support.AwaitedFiles.create;
import static dev.nullspend.it.support.AwaitedFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.LedgerPhasesApp;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.AwaitedFiles;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.Ledger;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on a real full disk: a 16 KiB tmpfs (the test runs as root; without the right to mount one it is
 * skipped). The second batch finds the disk full part-way: the lines that made it stay, the torn one is cut
 * off, and once space is freed only the rest of the batch is written: every event once, the exit summary's
 * counts those of the file, and the next start restores exactly the spend of those events.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class FullDiskLedgerIT {

    private static final int PER_PHASE = 20;
    private static final long COST = 25_000; // 40 events: exactly $1.00

    @TempDir
    Path workDir;

    private Path disk;

    @BeforeEach
    void mountSmallDisk() throws IOException, InterruptedException {
        disk = Files.createDirectory(workDir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here: " + output);
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
    }

    @Test
    void aBatchCutShortByAFullDiskIsFinishedOnceWithTrueCountsAndExactRestoredSpend() {
        Path ledger = disk.resolve("ledger.jsonl");
        Path filler = disk.resolve("filler");
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(LedgerPhasesApp.class)
                .args("2", Integer.toString(PER_PHASE), Long.toString(COST))
                .systemProperty("nullspend.ledger", ledger.toString())
                .systemProperty("nullspend.reporter.batch-size", Integer.toString(PER_PHASE))
                // Retried only by the exit's drain: the test frees the disk first, whatever the machine's pace.
                .systemProperty("nullspend.reporter.flush-interval-ms", "600000")
                .onStdoutLine(line -> {
                    if (line.equals("phase=1")) {
                        awaitLedger(ledger, n -> n == PER_PHASE);
                        fillDisk(filler);
                        create(workDir.resolve("go-1"));
                    } else if (line.equals("phase=2")) {
                        // the first attempt of the second batch: part of it is in, the torn line cut off
                        awaitLedger(ledger, n -> n > PER_PHASE);
                        AwaitedFiles.delete(filler);
                        create(workDir.resolve("go-2"));
                    }
                })
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> events = Ledger.read(ledger);
        List<String> expected = new ArrayList<>();
        for (int p = 1; p <= 2; p++) {
            for (int i = 1; i <= PER_PHASE; i++) {
                expected.add("p" + p + "-e" + i);
            }
        }
        assertThat(events.stream().map(e -> e.path("idempotencyKey").asText()).toList()).as(run.describe())
                .isEqualTo(expected);
        assertThat(read(ledger)).hasLineCount(2 * PER_PHASE).endsWith("}\n");
        assertThat(run.agentLines()).as(run.describe())
                .anyMatch(l -> l.contains("ledger: " + ledger + " (40 events written, 0 dropped, 1 failed write)"));

        // The next start: a $1.00 budget, exactly used up by the 40 events, denies the next call.
        try (FakeProviderServer server = FakeProviderServer.start()) {
            ForkedJvm.Result next = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                    .args("driver=JdkDriver", "url=" + server.chatCompletionsUrl(Scenario.OK, new FakeUsage(10, 0, 5, 0)),
                            "chat=gpt-4o", "max-tokens=100", "user=full-disk")
                    .systemProperty("nullspend.ledger", ledger.toString())
                    .systemProperty("nullspend.budget.limit-usd", "1")
                    .run();
            assertThat(next.results()).as(next.describe()).hasSize(1);
            JsonNode denial = next.results().get(0).path("denial");
            assertThat(denial.path("code").asText()).as(next.describe()).isEqualTo("budget_exceeded");
            assertThat(denial.path("fields").path("spend").asLong()).isEqualTo(2 * PER_PHASE * COST);
        }
    }

    /** Fills every free page of the disk; the ledger's last page keeps its unused rest. */
    private static void fillDisk(Path filler) {
        byte[] page = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(page);
                out.flush();
            }
        } catch (IOException full) {
            // No space left on device: what the test wants.
        }
    }

    /** Waits (bounded) until the ledger's complete lines satisfy {@code done} and it ends with a complete line. */
    private static void awaitLedger(Path ledger, java.util.function.IntPredicate done) {
        AwaitedFiles.until(() -> {
            String text = Files.exists(ledger) ? read(ledger) : "";
            return text.endsWith("\n") && done.test((int) text.chars().filter(c -> c == '\n').count());
        });
    }
}
