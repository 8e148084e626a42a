package dev.nullspend.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the per-call benchmarks of every client (JDK, OkHttp 4, Apache HttpClient 5 and 4,
 * {@code HttpURLConnection}, Reactor Netty, Vert.x) in forked JVMs without the agent and with each
 * agent jar, the variants alternating fork by fork, and prints one Markdown table of the times and
 * what each agent adds (the figures of docs/performance.md). With {@code -Dbench.gc=true} JMH's GC
 * profiler runs too and the table gives bytes allocated per operation, which load does not change.
 * The core benchmarks need the agent's classes on the class path and run through JMH's own main
 * instead (docs/performance.md).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [regexp] [-Dnullspend.agent.jars=before.jar,after.jar] [-Dbench.forks=2] [-Dbench.gc=true]</pre>
 */
public final class BenchmarkMain {
    /** The per-call benchmarks, one class per client, each with the same three operations. */
    private static final String PER_CALL_BENCHMARKS = String.join("|", JdkHttpCallBenchmark.class.getSimpleName(),
            OkHttpCallBenchmark.class.getSimpleName(), ApacheCallBenchmark.class.getSimpleName(),
            Apache4CallBenchmark.class.getSimpleName(), UrlConnectionCallBenchmark.class.getSimpleName(),
            ReactorNettyCallBenchmark.class.getSimpleName(), VertxCallBenchmark.class.getSimpleName());
    private static final String ALLOCATED = "gc.alloc.rate.norm";

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String include = args.length > 0 ? args[0] : PER_CALL_BENCHMARKS;
        List<File> agents = AgentJar.all();
        boolean gc = Boolean.getBoolean("bench.gc");
        File ledger = Files.createTempFile("nullspend-bench", ".jsonl").toFile();
        ledger.deleteOnExit();
        List<List<String>> variants = new ArrayList<>();
        variants.add(List.of());
        for (File agent : agents) {
            variants.add(List.of("-javaagent:" + agent.getAbsolutePath(), "-Dnullspend.ledger=" + ledger.getAbsolutePath(),
                    "-Dnullspend.summary=false", "-Dnullspend.loop.max-calls=0"));
        }
        // One fork of each variant in turn, so that a change in the machine's load falls on all of them alike.
        List<Map<String, double[]>> scores = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            scores.add(new LinkedHashMap<>());
        }
        int forks = Integer.getInteger("bench.forks", 2);
        for (int fork = 0; fork < forks; fork++) {
            for (int v = 0; v < variants.size(); v++) {
                add(scores.get(v), run(include, variants.get(v), gc));
            }
        }
        print(agents, scores, gc);
        System.out.println("ledger lines written by the agent runs: " + Files.readAllLines(ledger.toPath()).size());
    }

    private static void print(List<File> agents, List<Map<String, double[]>> scores, boolean gc) {
        StringBuilder header = new StringBuilder("| benchmark | without agent (µs/op")
                .append(gc ? ", B/op" : "").append(") |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (File agent : agents) {
            String name = agents.size() == 1 ? "with agent" : agent.getName();
            header.append(' ').append(name).append(" (µs/op, added").append(gc ? ", B/op, added" : "").append(") |");
            rule.append("---:|");
        }
        System.out.println();
        System.out.println(header);
        System.out.println(rule);
        Map<String, double[]> without = scores.get(0);
        for (Map.Entry<String, double[]> e : without.entrySet()) {
            double[] base = average(e.getValue());
            StringBuilder row = new StringBuilder("| ").append(e.getKey()).append(" | ").append(cell(base, gc)).append(" |");
            for (int a = 1; a < scores.size(); a++) {
                double[] with = scores.get(a).get(e.getKey());
                if (with == null) {
                    row.append(" — |");
                    continue;
                }
                double[] w = average(with);
                row.append(String.format(Locale.ROOT, " %.1f (%+.1f)", w[0], w[0] - base[0]));
                if (gc) {
                    row.append(String.format(Locale.ROOT, ", %.0f B (%+.0f B)", w[1], w[1] - base[1]));
                }
                row.append(" |");
            }
            System.out.println(row);
        }
    }

    private static String cell(double[] score, boolean gc) {
        return gc ? String.format(Locale.ROOT, "%.1f, %.0f B", score[0], score[1]) : String.format(Locale.ROOT, "%.1f", score[0]);
    }

    /** {sum of µs/op, sum of B/op, forks} → {mean µs/op, mean B/op}. */
    private static double[] average(double[] sums) {
        return new double[] {sums[0] / sums[2], sums[1] / sums[2]};
    }

    private static void add(Map<String, double[]> into, Map<String, double[]> fork) {
        fork.forEach((name, score) -> {
            double[] sums = into.computeIfAbsent(name, n -> new double[3]);
            sums[0] += score[0];
            sums[1] += score[1];
            sums[2]++;
        });
    }

    /** One fork of every included benchmark: benchmark → {µs/op, B/op (NaN without the GC profiler)}. */
    private static Map<String, double[]> run(String include, List<String> jvmArgs, boolean gc) throws RunnerException {
        List<String> args = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
        args.addAll(jvmArgs);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(Integer.getInteger("bench.warmups", 4))
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(args.toArray(new String[0]));
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            Result<?> allocated = r.getSecondaryResults().get(ALLOCATED);
            scores.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), new double[] {
                    r.getPrimaryResult().getScore(), allocated == null ? Double.NaN : allocated.getScore()});
        }
        return scores;
    }
}
