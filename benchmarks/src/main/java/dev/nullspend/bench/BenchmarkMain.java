package dev.nullspend.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
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
 * Runs the per-call benchmarks of every client (JDK, OkHttp 4, Apache HttpClient 5 and 4) twice, in
 * forked JVMs without and with the agent, and prints one Markdown table of both times and their ratio
 * (the figures of docs/performance.md). The core benchmarks need the agent's classes on the class
 * path and run through JMH's own main instead (docs/performance.md).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [regexp] [-Dnullspend.agent.jar=…] [-Dbench.forks=2]</pre>
 */
public final class BenchmarkMain {
    /** The per-call benchmarks, one class per client, each with the same three operations. */
    private static final String PER_CALL_BENCHMARKS = String.join("|", JdkHttpCallBenchmark.class.getSimpleName(),
            OkHttpCallBenchmark.class.getSimpleName(), ApacheCallBenchmark.class.getSimpleName(),
            Apache4CallBenchmark.class.getSimpleName());

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String include = args.length > 0 ? args[0] : PER_CALL_BENCHMARKS;
        File agent = AgentJar.locate();
        File ledger = Files.createTempFile("nullspend-bench", ".jsonl").toFile();
        ledger.deleteOnExit();
        Map<String, Double> without = run(include, List.of());
        Map<String, Double> with = run(include, List.of("-javaagent:" + agent.getAbsolutePath(),
                "-Dnullspend.ledger=" + ledger.getAbsolutePath(), "-Dnullspend.summary=false",
                "-Dnullspend.loop.max-calls=0"));
        System.out.println();
        System.out.println("| benchmark | without agent (µs/op) | with agent (µs/op) | ratio | added (µs/op) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<String, Double> e : without.entrySet()) {
            Double w = with.get(e.getKey());
            if (w == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %+.1f |%n", e.getKey(), e.getValue(), w,
                    w / e.getValue(), w - e.getValue());
        }
        System.out.println("ledger lines written by the agent run: " + Files.readAllLines(ledger.toPath()).size());
    }

    private static Map<String, Double> run(String include, List<String> jvmArgs) throws RunnerException {
        int forks = Integer.getInteger("bench.forks", 2);
        List<String> args = new ArrayList<>(List.of("-Xms256m", "-Xmx256m"));
        args.addAll(jvmArgs);
        Options options = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(Integer.getInteger("bench.warmups", 4))
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(args.toArray(new String[0]))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), r.getPrimaryResult().getScore());
        }
        return scores;
    }
}
