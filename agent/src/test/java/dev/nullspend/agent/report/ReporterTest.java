package dev.nullspend.agent.report;

import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ReporterTest {

    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<Reporter> reporters = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @AfterEach
    void stopEverything() {
        gates.forEach(CountDownLatch::countDown);
        reporters.forEach(r -> r.shutdown(Duration.ofSeconds(1)));
    }

    @Test
    void eventsFromManyThreadsReachTheSinkExactlyOnce() throws Exception {
        CollectingSink sink = new CollectingSink();
        Reporter reporter = start(List.of(sink), Reporter.Settings.defaults());
        int threads = 8;
        int perThread = 1_250;
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread thread = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    if (reporter.submit(TestEvents.event(base + i))) {
                        accepted.incrementAndGet();
                    }
                }
            });
            thread.start();
            submitters.add(thread);
        }
        go.countDown();
        for (Thread thread : submitters) {
            thread.join();
        }

        assertThat(reporter.flush(WAIT)).isTrue();

        assertThat(accepted.get()).isEqualTo(10_000);
        assertThat(sink.events()).hasSize(10_000);
        assertThat(TestEvents.keys(sink.events())).doesNotHaveDuplicates();
        assertThat(sink.batchSizes()).allMatch(size -> size >= 1 && size <= 100);
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(10_000, 10_000, 0, 0));
    }

    @Test
    void whenTheQueueIsFullNewEventsAreDroppedCountedAndLogged() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = gate();
        BlockingSink sink = new BlockingSink(entered, release);
        Reporter reporter = start(List.of(sink), new Reporter.Settings(10, 1, NEVER));

        assertThat(reporter.submit(TestEvents.event(0))).isTrue();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue(); // event 0 is now inside the blocked sink
        int accepted = 0;
        for (int i = 1; i <= 15; i++) {
            accepted += reporter.submit(TestEvents.event(i)) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(10);
        assertThat(reporter.stats().dropped()).isEqualTo(5);

        release.countDown();
        assertThat(reporter.flush(WAIT)).isTrue();

        assertThat(TestEvents.keys(sink.events())).containsExactlyElementsOf(TestEvents.keys(TestEvents.events(0, 11)));
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(16, 11, 5, 0));
        assertThat(log.text())
                .contains("queue full (capacity 10), 5 cost events dropped so far");
    }

    @Test
    void aFailingSinkGetsItsBatchAgainUntilItSucceeds() {
        FlakySink flaky = new FlakySink(2);
        CollectingSink healthy = new CollectingSink();
        Reporter reporter = start(List.of(flaky, healthy), new Reporter.Settings(100, 5, Duration.ofMillis(20)));

        submitEvents(reporter, 5);

        awaitTrue(() -> reporter.stats().written() == 5);
        assertThat(TestEvents.keys(flaky.events())).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
        assertThat(TestEvents.keys(healthy.events())).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
        assertThat(flaky.calls()).isEqualTo(3);
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(5, 5, 0, 2));
        String logged = log.text();
        assertThat(logged).containsOnlyOnce("flaky: write failed, will retry").contains("flaky: writes succeed again");
    }

    @Test
    void aBatchThatFailsThreeTimesCountsAsDroppedAndLaterBatchesStillFlow() {
        FlakySink flaky = new FlakySink(3);
        Reporter reporter = start(List.of(flaky), new Reporter.Settings(100, 4, Duration.ofMillis(20)));

        submitEvents(reporter, 4);
        awaitTrue(() -> reporter.stats().dropped() == 4);
        reporter.submit(TestEvents.event(4));
        assertThat(reporter.flush(WAIT)).isTrue();

        assertThat(TestEvents.keys(flaky.events())).containsExactly("k-4");
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(5, 1, 4, 3));
        assertThat(log.text()).contains("flaky: dropped 4 cost events after 3 failed writes");
    }

    @Test
    void shutdownDrainsClosesSinksAndLaterSubmitsCountAsDropped() {
        CollectingSink sink = new CollectingSink();
        Reporter reporter = start(List.of(sink), new Reporter.Settings(1_000, 100, NEVER));
        submitEvents(reporter, 250);

        long began = System.nanoTime();
        reporter.shutdown(Duration.ofSeconds(5));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(tookMillis).isLessThan(5_000);
        assertThat(sink.events()).hasSize(250);
        assertThat(sink.closed()).isTrue();
        assertThat(reporterThreadAlive()).isFalse();
        assertThat(reporter.submit(TestEvents.event(250))).isFalse();
        assertThat(reporter.submit(TestEvents.event(251))).isFalse();
        reporter.shutdown(Duration.ofSeconds(5)); // idempotent
        assertThat(reporter.flush(WAIT)).isFalse();
        assertThat(sink.events()).hasSize(250);
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(252, 250, 2, 0));
        assertThat(log.text())
                .containsOnlyOnce("reporter: shut down, cost events submitted from now on are dropped");
    }

    @Test
    void shutdownRetriesAFailingSinkAtOnce() {
        FlakySink flaky = new FlakySink(2);
        Reporter reporter = start(List.of(flaky), new Reporter.Settings(100, 100, NEVER));
        submitEvents(reporter, 5);

        reporter.shutdown(WAIT);

        assertThat(TestEvents.keys(flaky.events())).containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(5, 5, 0, 2));
    }

    @Test
    void shutdownIsBoundedWhenASinkHangs() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        BlockingSink sink = new BlockingSink(entered, gate());
        Reporter reporter = start(List.of(sink), new Reporter.Settings(100, 1, NEVER));
        reporter.submit(TestEvents.event(0));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 3; i++) {
            reporter.submit(TestEvents.event(i));
        }

        long began = System.nanoTime();
        reporter.shutdown(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(tookMillis).isBetween(300L, 1_500L);
        assertThat(reporter.stats().dropped()).isEqualTo(3);
        assertThat(log.text()).contains("3 queued cost events not written");
    }

    @Test
    void aSingleEventIsWrittenByTheIntervalFlush() {
        CollectingSink sink = new CollectingSink();
        Reporter reporter = start(List.of(sink), new Reporter.Settings(100, 100, Duration.ofMillis(100)));

        reporter.submit(TestEvents.event(0));

        awaitTrue(() -> sink.events().size() == 1);
        assertThat(TestEvents.keys(sink.events())).containsExactly("k-0");
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(1, 1, 0, 0));
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheInterval() {
        CollectingSink sink = new CollectingSink();
        Reporter reporter = start(List.of(sink), new Reporter.Settings(100, 10, NEVER));

        submitEvents(reporter, 25);

        awaitTrue(() -> sink.events().size() == 20);
        assertThat(sink.batchSizes()).containsExactly(10, 10);
        assertThat(reporter.flush(WAIT)).isTrue();
        assertThat(sink.batchSizes()).containsExactly(10, 10, 5);
    }

    @Test
    void endToEndIntoTheLedger(@TempDir Path dir) throws IOException {
        Path ledger = dir.resolve("nullspend-ledger.jsonl");
        Reporter reporter = start(List.of(new LedgerSink(ledger)), new Reporter.Settings(10_000, 100, NEVER));
        submitEvents(reporter, 1_050);

        reporter.shutdown(WAIT);

        LedgerReader.Contents contents = LedgerReader.readAll(ledger);
        assertThat(contents.skippedLines()).isZero();
        assertThat(TestEvents.keys(contents.events())).containsExactlyElementsOf(TestEvents.keys(TestEvents.events(0, 1_050)));
        assertThat(reporter.stats()).isEqualTo(new Reporter.Stats(1_050, 1_050, 0, 0));
    }

    @Test
    void aSinksOwnBacklogIsSentOneStepPerRoundWhileTheReporterIsIdle() {
        BacklogSink sink = new BacklogSink(5, 0);
        start(List.of(sink), new Reporter.Settings(100, 10, NEVER));

        awaitTrue(() -> sink.steps() == 5);
        assertThat(sink.steps()).isEqualTo(5);
    }

    @Test
    void backlogStepsWaitAsLongAsTheSinkAsks() {
        BacklogSink sink = new BacklogSink(3, TimeUnit.MILLISECONDS.toNanos(200));
        long began = System.nanoTime();
        start(List.of(sink), new Reporter.Settings(100, 10, NEVER));

        awaitTrue(() -> sink.steps() == 3);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void shutdownGivesSinksTheirTimeAndSendsBacklogsWithinIt() {
        BacklogSink sink = new BacklogSink(Integer.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(20));
        Reporter reporter = start(List.of(sink), new Reporter.Settings(100, 10, NEVER));
        awaitTrue(() -> sink.steps() > 0);
        reporter.submit(TestEvents.event(0));

        long began = System.nanoTime();
        reporter.shutdown(Duration.ofMillis(300));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(sink.drainTime()).isEqualTo(Duration.ofMillis(300));
        assertThat(TestEvents.keys(sink.events())).containsExactly("k-0");
        assertThat(sink.stepsAfterDrainBegan()).as("backlog steps during the drain").isGreaterThan(3);
        assertThat(tookMillis).isBetween(300L, 1_000L);
        assertThat(sink.closed()).isTrue();
    }

    @Test
    void reporterThreadIsANamedDaemon() {
        CountDownLatch entered = new CountDownLatch(1);
        Reporter reporter = start(List.of(new BlockingSink(entered, gate())), new Reporter.Settings(10, 1, NEVER));
        reporter.submit(TestEvents.event(0));
        awaitTrue(() -> entered.getCount() == 0);

        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(Reporter.THREAD_NAME) && t.isAlive()).findFirst().orElseThrow();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getContextClassLoader()).isNull();
    }

    // ---- helpers ----

    private Reporter start(List<? extends EventSink> sinks, Reporter.Settings settings) {
        Reporter reporter = Reporter.start(sinks, settings);
        reporters.add(reporter);
        return reporter;
    }

    private CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    private static boolean reporterThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(Reporter.THREAD_NAME) && t.isAlive());
    }

    /** Polls with a generous bound instead of sleeping a fixed time: fast when all is well, not flaky when slow. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within %s", WAIT).isNegative();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps every event and the size of every batch. */
    static class CollectingSink implements EventSink {
        private final List<CostEvent> events = new CopyOnWriteArrayList<>();
        private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void write(List<CostEvent> batch) throws IOException {
            events.addAll(batch);
            batchSizes.add(batch.size());
        }

        @Override
        public void close() {
            closed.set(true);
        }

        @Override
        public String describe() {
            return "collecting";
        }

        List<CostEvent> events() {
            return events;
        }

        List<Integer> batchSizes() {
            return batchSizes;
        }

        boolean closed() {
            return closed.get();
        }
    }

    /** Signals when a write begins, then holds it until released. */
    static final class BlockingSink extends CollectingSink {
        private final CountDownLatch entered;
        private final CountDownLatch release;

        BlockingSink(CountDownLatch entered, CountDownLatch release) {
            this.entered = entered;
            this.release = release;
        }

        @Override
        public void write(List<CostEvent> batch) throws IOException {
            entered.countDown();
            awaitQuietly(release);
            super.write(batch);
        }
    }

    /** Collects, and has a backlog of {@code steps} steps, each followed by a wait of {@code waitNanos}. */
    static final class BacklogSink extends CollectingSink {
        private final int total;
        private final long waitNanos;
        private final AtomicInteger steps = new AtomicInteger();
        private final AtomicInteger stepsAfterDrain = new AtomicInteger();
        private volatile Duration drainTime;

        BacklogSink(int steps, long waitNanos) {
            this.total = steps;
            this.waitNanos = waitNanos;
        }

        @Override
        public long catchUp() {
            if (steps.get() >= total) {
                return NO_BACKLOG;
            }
            steps.incrementAndGet();
            if (drainTime != null) {
                stepsAfterDrain.incrementAndGet();
            }
            return steps.get() >= total ? NO_BACKLOG : waitNanos;
        }

        @Override
        public void drainWithin(Duration timeLeft) {
            drainTime = timeLeft;
        }

        int steps() {
            return steps.get();
        }

        int stepsAfterDrainBegan() {
            return stepsAfterDrain.get();
        }

        Duration drainTime() {
            return drainTime;
        }
    }

    /** Fails its first {@code failures} writes, then collects. */
    static final class FlakySink extends CollectingSink {
        private final int failures;
        private final AtomicInteger calls = new AtomicInteger();

        FlakySink(int failures) {
            this.failures = failures;
        }

        @Override
        public void write(List<CostEvent> batch) throws IOException {
            if (calls.incrementAndGet() <= failures) {
                throw new IOException("disk full");
            }
            super.write(batch);
        }

        @Override
        public String describe() {
            return "flaky";
        }

        int calls() {
            return calls.get();
        }
    }

    /** Submits events k-0 … k-(count − 1), in order. */
    private static void submitEvents(Reporter reporter, int count) {
        for (int i = 0; i < count; i++) {
            reporter.submit(TestEvents.event(i));
        }
    }
}
