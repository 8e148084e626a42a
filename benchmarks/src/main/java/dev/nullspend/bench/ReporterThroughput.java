package dev.nullspend.bench;

import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.api.RetryPolicy;
import dev.nullspend.agent.api.jdk.JdkHttpTransport;
import dev.nullspend.agent.report.ApiSink;
import dev.nullspend.agent.report.EventSink;
import dev.nullspend.agent.report.LedgerSink;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.agent.report.Spool;
import dev.nullspend.agent.report.SpoolOwner;
import dev.nullspend.api.CostEvent;
import dev.nullspend.it.fake.FakeNullSpendApi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How fast the agent's reporter moves cost events, in one process, with the agent's own classes:
 * the program thread's time per {@link Reporter#submit}, and events per second into the JSONL
 * ledger and into a local {@link FakeNullSpendApi} (its rate limit and the client's lifted, so
 * the figure is the reporting path's, not the API's 60 requests a minute).
 *
 * <p>The submitting thread hands events over in bursts of {@value #BURST} and waits, outside the
 * timed part, while the queue has no room for a burst: submits are measured as a program would
 * make them, never as drops into a full queue.
 *
 * <p>Besides the wall-clock rate it prints the events per CPU second of the reporter thread
 * ({@code ThreadMXBean}): the reporting path's own cost, which a wait for a core on a loaded
 * machine does not inflate.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/nullspend-agent.jar dev.nullspend.bench.ReporterThroughput [ledger events] [api events]</pre>
 * The agent jar goes on the class path here, not on the boot class path: nothing is instrumented,
 * and {@code JdkHttpTransport} must see {@code java.net.http}.
 */
public final class ReporterThroughput {
    private static final int BURST = 1_000;
    private static final int QUEUE = 10_000;

    private ReporterThroughput() {
    }

    /** One measured run: submit cost and end-to-end rate. */
    private record Run(String sink, int events, double nanosPerSubmit, double maxBurstNanosPerSubmit, double eventsPerSecond,
                       double eventsPerCpuSecond) {
    }

    public static void main(String[] args) throws Exception {
        int ledgerEvents = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int apiEvents = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Files.createTempDirectory("nullspend-reporter-bench");
        List<Run> runs = new ArrayList<>();

        ledger(dir.resolve("warm-up.jsonl"), events(ledgerEvents / 5));
        runs.add(ledger(dir.resolve("ledger.jsonl"), events(ledgerEvents)));

        try (FakeNullSpendApi api = FakeNullSpendApi.start()) {
            api.rateLimitPerMinute(Integer.MAX_VALUE);
            api(api, dir.resolve("spool-warm-up"), events(apiEvents / 5));
            runs.add(api(api, dir.resolve("spool"), events(apiEvents)));
        }

        System.out.println();
        System.out.println("| sink | events | submit, mean (ns) | submit, worst burst mean (ns) | events/s end to end "
                + "| events per CPU second of the reporter thread |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %,.0f | %,.0f |%n", r.sink(), r.events(), r.nanosPerSubmit(),
                    r.maxBurstNanosPerSubmit(), r.eventsPerSecond(), r.eventsPerCpuSecond());
        }
        System.out.printf(Locale.ROOT, "(java %s; load average %.2f)%n", System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Run ledger(Path file, List<CostEvent> events) throws IOException {
        LedgerSink sink = new LedgerSink(file);
        Run run = measure("ledger", events, sink, () -> events.size());
        long lines = Files.lines(file).count();
        check(lines == events.size(), "ledger lines " + lines + " != " + events.size());
        return run;
    }

    private static Run api(FakeNullSpendApi api, Path spoolDir, List<CostEvent> events) {
        int before = api.events().size();
        NullSpendApiClient client = new NullSpendApiClient(new NullSpendApiClient.Settings(api.baseUrl(), api.apiKey(),
                "bench", RetryPolicy.defaults(), NullSpendApiClient.TIMEOUT, Integer.MAX_VALUE, 1_000),
                () -> new JdkHttpTransport(NullSpendApiClient.TIMEOUT));
        ApiSink sink = new ApiSink(client, new Spool(spoolDir, Spool.DEFAULT_MAX_BYTES, SpoolOwner.of(api.apiKey(), api.baseUrl())));
        Run run = measure("NullSpend API (local fake)", events, sink, () -> api.events().size() - before);
        check(sink.stats().sent() == events.size() && sink.stats().spooled() == 0,
                "the API sink sent " + sink.stats().sent() + " and spooled " + sink.stats().spooled());
        return run;
    }

    /** Submits every event in paced bursts, then waits until {@code delivered} reaches them all. */
    private static Run measure(String name, List<CostEvent> events, EventSink sink, LongSupplier delivered) {
        Reporter reporter = Reporter.start(List.of(sink), new Reporter.Settings(QUEUE, 100, Duration.ofMillis(100)));
        long reporterThread = reporterThreadId();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getThreadCpuTime(reporterThread);
        long submitNanos = 0;
        double worstBurst = 0;
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += BURST) {
            int to = Math.min(events.size(), from + BURST);
            while (inQueue(reporter) > QUEUE - BURST) {
                LockSupport.parkNanos(50_000); // not a spin: the reporter thread needs the core
            }
            long t0 = System.nanoTime();
            for (int i = from; i < to; i++) {
                reporter.submit(events.get(i));
            }
            long took = System.nanoTime() - t0;
            submitNanos += took;
            worstBurst = Math.max(worstBurst, (double) took / (to - from));
        }
        check(reporter.flush(Duration.ofMinutes(5)), name + ": flush timed out");
        while (delivered.getAsLong() < events.size()) {
            LockSupport.parkNanos(50_000);
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getThreadCpuTime(reporterThread) - cpuStart;
        Reporter.Stats stats = reporter.stats();
        reporter.shutdown();
        check(stats.dropped() == 0 && stats.written() == events.size(), name + ": " + stats);
        return new Run(name, events.size(), (double) submitNanos / events.size(), worstBurst,
                events.size() * 1e9 / elapsed, events.size() * 1e9 / cpu);
    }

    /**
     * The id of the live reporter thread: its CPU time is the reporting path's cost whatever the
     * load (the wall-clock rate also counts the waits for a core).
     */
    private static long reporterThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(Reporter.THREAD_NAME) && t.isAlive()) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no " + Reporter.THREAD_NAME + " thread");
    }

    private static long inQueue(Reporter reporter) {
        Reporter.Stats s = reporter.stats();
        return s.submitted() - s.written() - s.dropped();
    }

    /** Events as the agent makes them for a gpt-4o-mini call, each with its own idempotency key. */
    private static List<CostEvent> events(int n) {
        List<CostEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(CostEvent.builder().provider("openai").model("gpt-4o-mini").eventType(CostEvent.Type.LLM)
                    .inputTokens(1200 + i % 1000).outputTokens(80).costMicrodollars(228)
                    .costBreakdown(new CostEvent.Breakdown(180, 48, 0, 0)).durationMs(412L)
                    .idempotencyKey("ns_" + UUID.randomUUID()).build());
        }
        return events;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
