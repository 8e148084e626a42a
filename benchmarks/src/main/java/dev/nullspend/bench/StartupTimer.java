package dev.nullspend.bench;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process start-up time with and without the agent: launches small programs again and
 * again, alternating the modes in every round (without the agent, then each agent jar) so that
 * machine noise hits all alike, and prints the median wall time of each with the ratio and the
 * added milliseconds against the run without the agent, as a Markdown table.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.StartupTimer [runs] [program,…]
 * java -Dnullspend.agent.jars=before.jar,after.jar -cp … StartupTimer 15   # compare two builds side by side</pre>
 */
public final class StartupTimer {
    private StartupTimer() {
    }

    /** A trivial program: what the agent adds before and after {@code main} and nothing else. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello");
        }
    }

    /**
     * A program whose first action creates a {@code java.net.http.HttpClient}: its class loading
     * waits at the agent's gate until the instrumentation is ready, the worst case for start-up.
     */
    public static final class HttpClientHello {
        public static void main(String[] args) {
            System.out.println(java.net.http.HttpClient.newHttpClient().version());
        }
    }

    /**
     * A program whose first action creates an {@code OkHttpClient} (OkHttp 4, on the class path of
     * {@code benchmarks.jar}): {@code okhttp3.OkHttpClient} waits at the gate as the JDK client does.
     */
    public static final class OkHttpHello {
        public static void main(String[] args) {
            System.out.println(new okhttp3.OkHttpClient().connectTimeoutMillis());
        }
    }

    /**
     * A program whose first action connects a socket: the JDK socket classes the {@code socket-connect}
     * watch instruments load before the agent is ready and are retransformed once it is.
     */
    public static final class SocketHello {
        public static void main(String[] args) throws IOException {
            java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
            try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, loopback);
                 java.net.Socket socket = new java.net.Socket(loopback, server.getLocalPort())) {
                System.out.println("connected " + socket.isConnected());
            }
        }
    }

    /** A socket first, then a {@code java.net.http} client, whose class waits at the agent's gate. */
    public static final class SocketThenHttpClient {
        public static void main(String[] args) throws IOException {
            SocketHello.main(args);
            HttpClientHello.main(args);
        }
    }

    private static final List<Class<?>> PROGRAMS = List.of(Hello.class, HttpClientHello.class, OkHttpHello.class,
            SocketHello.class, SocketThenHttpClient.class);

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Class<?>> programs = args.length > 1 ? named(args[1]) : PROGRAMS;
        List<File> agents = AgentJar.all();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = System.getProperty("java.class.path");
        StringBuilder header = new StringBuilder("| program | without agent (median ms) |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (File agent : agents) {
            header.append(' ').append(agents.size() == 1 ? "with agent" : agent.getName()).append(" (median ms, ratio, added) |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Class<?> program : programs) {
            long[][] times = new long[agents.size() + 1][runs];
            for (int i = 0; i < runs; i++) {
                times[0][i] = time(List.of(java, "-cp", cp, program.getName()));
                for (int a = 0; a < agents.size(); a++) {
                    times[a + 1][i] = time(List.of(java, "-javaagent:" + agents.get(a).getAbsolutePath(),
                            "-Dnullspend.ledger=off", "-cp", cp, program.getName()));
                }
            }
            double without = median(times[0]);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.0f |", program.getSimpleName(), without));
            for (int a = 0; a < agents.size(); a++) {
                double with = median(times[a + 1]);
                row.append(String.format(Locale.ROOT, " %.0f (×%.2f, %+.0f) |", with, with / without, with - without));
            }
            System.out.println(row);
        }
        System.out.println("(" + runs + " runs each, alternating; java " + System.getProperty("java.version") + ")");
    }

    /** The programs named (simple names, comma-separated), in that order. */
    private static List<Class<?>> named(String names) {
        List<Class<?>> out = new ArrayList<>();
        for (String name : names.split(",")) {
            Class<?> match = null;
            for (Class<?> p : PROGRAMS) {
                if (p.getSimpleName().equals(name.trim())) {
                    match = p;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException("no program " + name + "; one of " + PROGRAMS);
            }
            out.add(match);
        }
        return out;
    }

    static long time(List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = p.waitFor();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException("exit " + exit + ": " + String.join(" ", cmd));
        }
        return ms;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
