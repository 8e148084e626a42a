package dev.nullspend.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@link CallPathBenchmark}'s operations timed by the calling thread's CPU time and allocation
 * (not wall time): on a machine shared with other work a thread that waits for a core is not
 * charged, so the figure is the agent's own cost per call even under load. Warms up (at least {@code -Dbench.warmup.seconds}, 10 s), then runs
 * rounds of calls (each fewer than the reporter's queue holds, drained between rounds) and prints the median round's CPU µs and bytes per call; then the same for
 * {@link UsageParsingBenchmark}'s ~1 MB streams, as MB per second of CPU time.
 *
 * <p>The rounds are also printed in the order they ran ({@code -Dbench.rounds=true}): a median far
 * from the fastest round tells a warm-up or a load effect apart from a steady cost.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar:agent/target/nullspend-agent.jar dev.nullspend.bench.CallPathCpu [rounds] [calls per round] [operations]</pre>
 * (operations: a comma-separated subset of nonLlmGet, llmChat, llmChatStreamed, parse; default all)
 */
public final class CallPathCpu {
    private CallPathCpu() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        java.util.List<String> ops = java.util.List.of((args.length > 2 ? args[2] : "nonLlmGet,llmChat,llmChatStreamed,parse").split(","));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CallPathBenchmark bench = new CallPathBenchmark();
        bench.setUp();
        try {
            if (ops.contains("nonLlmGet")) {
                measure("nonLlmGet", bench::nonLlmGet, rounds, calls * 20, threads, bench::drainReporter);
            }
            if (ops.contains("llmChat")) {
                measure("llmChat", bench::llmChat, rounds, calls, threads, bench::drainReporter);
            }
            if (ops.contains("llmChatStreamed")) {
                measure("llmChatStreamed", bench::llmChatStreamed, rounds, calls, threads, bench::drainReporter);
            }
        } finally {
            bench.tearDown();
        }
        for (String provider : ops.contains("parse") ? new String[] {"openai", "anthropic"} : new String[0]) {
            UsageParsingBenchmark parsing = new UsageParsingBenchmark();
            parsing.provider = provider;
            parsing.setUp();
            double micros = measure("parse " + provider + " SSE", parsing::parse, rounds, Math.max(1, calls / 50), threads, () -> { });
            System.out.printf(Locale.ROOT, "%-16s %.0f MB/s of CPU time%n", "", UsageParsingBenchmark.STREAM_BYTES / micros);
        }
    }

    /** Prints and returns the median round's CPU µs per call. */
    private static double measure(String name, Supplier<Object> op, int rounds, int calls,
                                com.sun.management.ThreadMXBean threads, Runnable betweenRounds) {
        long id = Thread.currentThread().getId();
        // Warm-up by time as well as by count: on a loaded machine the JIT's threads wait for a core
        // too, and rounds timed before C2 has compiled the path cost 3-5 times the steady state.
        long warmUntil = System.nanoTime() + Long.getLong("bench.warmup.seconds", 10) * 1_000_000_000L;
        for (int i = 0; i < calls * 4 || System.nanoTime() < warmUntil; i++) {
            op.get();
            if (i % calls == 0) {
                betweenRounds.run();
            }
        }
        double[] cpu = new double[rounds];
        double[] bytes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            betweenRounds.run();
            long c0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < calls; i++) {
                op.get();
            }
            cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1_000.0 / calls;
            bytes[r] = (threads.getThreadAllocatedBytes(id) - b0) / (double) calls;
        }
        if (Boolean.getBoolean("bench.rounds")) {
            System.out.println(name + " rounds in order, CPU µs/call: " + Arrays.toString(cpu));
        }
        Arrays.sort(cpu);
        Arrays.sort(bytes);
        System.out.printf(Locale.ROOT, "%-16s CPU %8.2f µs/call (min %.2f, max %.2f)  allocated %8.0f B/call%n",
                name, cpu[rounds / 2], cpu[0], cpu[rounds - 1], bytes[rounds / 2]);
        return cpu[rounds / 2];
    }
}
