package dev.nullspend.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The per-client benchmarks' {@code nonLlmGet} timed by the calling thread's CPU time and allocated
 * bytes ({@code ThreadMXBean}), which a wait for a core does not inflate: for each client whose
 * adapter runs on the calling thread (JDK, OkHttp, Apache HttpClient 5 and 4, {@code HttpURLConnection}),
 * one forked JVM without the agent and one with each agent jar, the variants alternating run by run;
 * each fork warms up, then times rounds of calls and prints its median round. The table gives the
 * median over runs and what each agent adds per call.
 *
 * <pre>java -Dnullspend.agent.jars=before.jar,after.jar -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.NonLlmCallCpu [runs] [calls per round]</pre>
 */
public final class NonLlmCallCpu {
    private static final List<Class<?>> CLIENTS = List.of(JdkHttpCallBenchmark.class, OkHttpCallBenchmark.class,
            ApacheCallBenchmark.class, Apache4CallBenchmark.class, UrlConnectionCallBenchmark.class);
    private static final int ROUNDS = 5;
    private static final Object[] NO_ARGS = {};

    private NonLlmCallCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--fork")) {
            fork(Class.forName(args[1]), Integer.parseInt(args[2]));
            System.exit(0); // a client's or the server's thread left behind must not keep the fork (and the run) waiting
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        List<File> agents = AgentJar.all();
        File ledger = File.createTempFile("nullspend-nonllm", ".jsonl");
        ledger.deleteOnExit();
        String java = System.getProperty("java.home") + "/bin/java";
        String classPath = System.getProperty("java.class.path");
        StringBuilder header = new StringBuilder("| client | without agent (CPU µs, B per call) |");
        for (File agent : agents) {
            header.append(' ').append(agents.size() == 1 ? "with agent" : agent.getName()).append(" (CPU µs, B; added) |");
        }
        System.out.println(header);
        System.out.println("|---|---:|" + "---:|".repeat(agents.size()));
        for (Class<?> client : CLIENTS) {
            double[][] cpu = new double[agents.size() + 1][runs];
            double[][] bytes = new double[agents.size() + 1][runs];
            for (int r = 0; r < runs; r++) {
                for (int v = 0; v <= agents.size(); v++) {
                    List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m"));
                    if (v > 0) {
                        command.addAll(List.of("-javaagent:" + agents.get(v - 1).getAbsolutePath(),
                                "-Dnullspend.ledger=" + ledger.getAbsolutePath(), "-Dnullspend.summary=false",
                                "-Dnullspend.loop.max-calls=0"));
                    }
                    command.addAll(List.of("-cp", classPath, NonLlmCallCpu.class.getName(), "--fork", client.getName(),
                            Integer.toString(calls)));
                    double[] result = run(command);
                    cpu[v][r] = result[0];
                    bytes[v][r] = result[1];
                }
            }
            double baseCpu = median(cpu[0]);
            double baseBytes = median(bytes[0]);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f µs, %.0f B |",
                    client.getSimpleName(), baseCpu, baseBytes));
            for (int v = 1; v <= agents.size(); v++) {
                double c = median(cpu[v]);
                double b = median(bytes[v]);
                row.append(String.format(Locale.ROOT, " %.1f µs, %.0f B (%+.1f µs, %+.0f B) |", c, b, c - baseCpu, b - baseBytes));
            }
            System.out.println(row);
        }
        System.out.println("(" + runs + " runs each, alternating, " + ROUNDS + " rounds of " + calls + " calls per run; java "
                + System.getProperty("java.version") + ")");
    }

    /** The last line a fork prints: its median round's CPU ns and bytes per call. */
    private static double[] run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String[] lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the fork failed: " + String.join("\n", lines));
        }
        String[] last = lines[lines.length - 1].trim().split(" ");
        return new double[] {Double.parseDouble(last[0]) / 1_000.0, Double.parseDouble(last[1])};
    }

    /** In the fork: the benchmark's own set-up, {@code calls} × 4 warm-up calls, then the timed rounds. */
    private static void fork(Class<?> benchmark, int calls) throws Exception {
        Object bench = benchmark.getConstructor().newInstance();
        Method nonLlmGet = benchmark.getMethod("nonLlmGet");
        benchmark.getMethod("setUp").invoke(bench);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        try {
            for (int i = 0; i < calls * 4; i++) {
                nonLlmGet.invoke(bench, NO_ARGS);
            }
            double[] cpu = new double[ROUNDS];
            double[] bytes = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long b0 = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < calls; i++) {
                    nonLlmGet.invoke(bench, NO_ARGS);
                }
                cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / (double) calls;
                bytes[r] = (threads.getThreadAllocatedBytes(id) - b0) / (double) calls;
            }
            System.out.printf(Locale.ROOT, "%.0f %.0f%n", median(cpu), median(bytes));
        } finally {
            benchmark.getMethod("tearDown").invoke(bench);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
