package dev.nullspend.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole process with and without the agent: each round launches one child JVM per mode (no
 * agent, then each agent jar of {@code -Dnullspend.agent.jars}, as {@link StartupTimer} does),
 * alternating the modes run by run. The child starts the fake provider on 127.0.0.1, and for each
 * client and operation warms up, then times {@code calls} sequential chat calls (plain, then
 * streamed) with the ledger on (a temporary file) and loop detection off, as {@link BenchmarkMain}
 * runs the per-call benchmarks, whose operations it reuses. Per call it reports the wall time, the
 * process's CPU time (every thread: the client's, the fake server's, the reporter's) and the calling
 * thread's CPU time; the parent prints the medians over the rounds and their ratio to the run
 * without the agent.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.WholeProcessTimer [rounds] [calls] [clients] [operations]
 * java -Dnullspend.agent.jars=before.jar,agent/target/nullspend-agent.jar -cp … WholeProcessTimer 7 2000 okhttp,jdk</pre>
 * (clients: okhttp, jdk, apache5, apache4, urlconnection, reactornetty, vertx; operations: llmChat, llmChatStreamed.) A JFR profile of the
 * timed calls: run the child alone, {@code java -Dbench.jfr=/tmp/p -javaagent:… -cp … WholeProcessTimer$Child
 * 2000 jdk llmChat} writes {@code /tmp/p-jdk-llmChat.jfr}.
 */
public final class WholeProcessTimer {
    /** The clients a child can drive, by the name the command line gives. */
    private static final Map<String, String> CLIENTS = Map.of(
            "okhttp", "OkHttp 4.12", "jdk", "java.net.http", "apache5", "Apache HttpClient 5", "apache4", "Apache HttpClient 4",
            "urlconnection", "HttpURLConnection", "reactornetty", "Reactor Netty", "vertx", "Vert.x");
    private static final String[] OPERATIONS = {"llmChat", "llmChatStreamed"};
    private static final String RESULT = "RESULT ";

    private WholeProcessTimer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String clients = args.length > 2 ? args[2] : "okhttp,jdk";
        String operations = args.length > 3 ? args[3] : String.join(",", OPERATIONS);
        List<File> agents = AgentJar.all();
        List<String> modes = new ArrayList<>();
        modes.add("without agent");
        for (File agent : agents) {
            modes.add(agents.size() == 1 ? "with agent" : agent.getName());
        }
        // mode -> "client op" -> per round {wall, process CPU, thread CPU} ns per call
        List<Map<String, List<double[]>>> results = new ArrayList<>();
        for (int m = 0; m < modes.size(); m++) {
            results.add(new LinkedHashMap<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < modes.size(); m++) {
                // The order rotates so that no mode always runs right after the same one.
                int mode = (m + r) % modes.size();
                File ledger = Files.createTempFile("nullspend-whole", ".jsonl").toFile();
                try {
                    run(mode == 0 ? null : agents.get(mode - 1), ledger, calls, clients, operations, results.get(mode));
                } finally {
                    Files.deleteIfExists(ledger.toPath());
                }
            }
            System.err.println("round " + (r + 1) + " of " + rounds + " done");
        }
        System.out.println("| client, call | figure per call (median of " + rounds + ") | " + String.join(" | ", modes) + " |");
        System.out.println("|---|---|" + "---:|".repeat(modes.size()));
        String[] figures = {"wall µs", "process CPU µs", "calling thread CPU µs"};
        for (String key : results.get(0).keySet()) {
            for (int f = 0; f < figures.length; f++) {
                double without = median(results.get(0).get(key), f);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.1f |", key, figures[f], without));
                for (int m = 1; m < modes.size(); m++) {
                    double with = median(results.get(m).get(key), f);
                    row.append(String.format(Locale.ROOT, " %.1f (×%.3f, %+.1f) |", with, with / without, with - without));
                }
                System.out.println(row);
            }
        }
        System.out.println("(" + rounds + " rounds of " + calls + " calls per client and call, modes alternating; java "
                + System.getProperty("java.version") + ", load average at the end "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
    }

    private static void run(File agent, File ledger, int calls, String clients, String operations, Map<String, List<double[]>> into)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m"));
        if (agent != null) {
            cmd.addAll(List.of("-javaagent:" + agent.getAbsolutePath(), "-Dnullspend.ledger=" + ledger.getAbsolutePath(),
                    "-Dnullspend.summary=false", "-Dnullspend.loop.max-calls=0"));
        }
        // Passed on to the child, e.g. a JFR recording: -Dbench.child.jvmArgs="-XX:StartFlightRecording=…"
        cmd.add("-Dbench.warmup.seconds=" + Long.getLong("bench.warmup.seconds", 3));
        String extra = System.getProperty("bench.child.jvmArgs");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), Integer.toString(calls), clients, operations));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT)) {
                    String[] f = line.substring(RESULT.length()).split(" ");
                    String key = CLIENTS.get(f[0]) + " " + f[1];
                    double n = Double.parseDouble(f[2]);
                    into.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {
                            Double.parseDouble(f[3]) / n / 1_000, Double.parseDouble(f[4]) / n / 1_000, Double.parseDouble(f[5]) / n / 1_000});
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd));
        }
    }

    private static double median(List<double[]> rounds, int figure) {
        long[] v = new long[rounds.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(rounds.get(i)[figure] * 1_000);
        }
        return StartupTimer.median(v) / 1_000;
    }

    /** An operation of a per-call benchmark. */
    private interface Call {
        Object call() throws Exception;
    }

    /**
     * The child JVM: the per-call benchmarks' set-up (the fake provider and the client) and
     * operations, each warmed up with as many calls as are timed and for at least
     * {@code -Dbench.warmup.seconds} (3 s).
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            int calls = Integer.parseInt(args[0]);
            List<String> operations = List.of(args[2].split(","));
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (String client : args[1].split(",")) {
                Call[] ops;
                AutoCloseable close;
                switch (client) {
                    case "okhttp" -> {
                        OkHttpCallBenchmark b = new OkHttpCallBenchmark();
                        b.setUp();
                        ops = new Call[] {b::llmChat, b::llmChatStreamed};
                        close = b::tearDown;
                    }
                    case "jdk" -> {
                        JdkHttpCallBenchmark b = new JdkHttpCallBenchmark();
                        b.setUp();
                        ops = new Call[] {b::llmChat, b::llmChatStreamed};
                        close = b::tearDown;
                    }
                    case "apache5", "apache4", "urlconnection", "reactornetty", "vertx" -> {
                        ClientCallBenchmark b = switch (client) {
                            case "apache5" -> new ApacheCallBenchmark();
                            case "apache4" -> new Apache4CallBenchmark();
                            case "urlconnection" -> new UrlConnectionCallBenchmark();
                            case "reactornetty" -> new ReactorNettyCallBenchmark();
                            default -> new VertxCallBenchmark();
                        };
                        b.setUp();
                        ops = new Call[] {b::llmChat, b::llmChatStreamed};
                        close = b::tearDown;
                    }
                    default -> throw new IllegalArgumentException("no client " + client + "; one of " + CLIENTS.keySet());
                }
                try {
                    for (int o = 0; o < ops.length; o++) {
                        if (!operations.contains(OPERATIONS[o])) {
                            continue;
                        }
                        // Warm-up by time as well as by count: on a loaded machine the JIT's threads wait for a core too.
                        long warmUntil = System.nanoTime() + Long.getLong("bench.warmup.seconds", 3) * 1_000_000_000L;
                        for (int i = 0; i < calls || System.nanoTime() < warmUntil; i++) {
                            ops[o].call();
                        }
                        jdk.jfr.Recording recording = record(client, OPERATIONS[o]);
                        long wall0 = System.nanoTime();
                        long cpu0 = os.getProcessCpuTime();
                        long thread0 = threads.getCurrentThreadCpuTime();
                        for (int i = 0; i < calls; i++) {
                            ops[o].call();
                        }
                        long thread = threads.getCurrentThreadCpuTime() - thread0;
                        long cpu = os.getProcessCpuTime() - cpu0;
                        long wall = System.nanoTime() - wall0;
                        if (recording != null) {
                            recording.stop();
                            recording.close();
                        }
                        System.out.println(RESULT + client + " " + OPERATIONS[o] + " " + calls + " " + wall + " " + cpu + " " + thread);
                    }
                } finally {
                    close.close();
                }
            }
        }

        /**
         * With {@code -Dbench.jfr=PREFIX}: a JFR recording ({@code profile} settings, execution samples every
         * millisecond) of the timed calls
         * only, written to {@code PREFIX-client-operation.jfr}; else null.
         */
        private static jdk.jfr.Recording record(String client, String operation) throws Exception {
            String prefix = System.getProperty("bench.jfr");
            if (prefix == null) {
                return null;
            }
            jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            // Every millisecond, not every 10 or 20: a few thousand calls give enough samples to split.
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            recording.setDestination(java.nio.file.Path.of(prefix + "-" + client + "-" + operation + ".jfr"));
            recording.start();
            return recording;
        }
    }
}
