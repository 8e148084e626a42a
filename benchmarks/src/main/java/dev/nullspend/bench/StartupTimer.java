package dev.nullspend.bench;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process start-up time with and without the agent: launches small programs again and
 * again, alternating the two modes so that machine noise hits both alike, and prints the
 * median wall time of each with the difference, as a Markdown table.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.StartupTimer [runs]</pre>
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

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        File agent = AgentJar.locate();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = System.getProperty("java.class.path");
        System.out.println("| program | without agent (median ms) | with agent (median ms) | added (ms) |");
        System.out.println("|---|---:|---:|---:|");
        for (Class<?> program : List.of(Hello.class, HttpClientHello.class, SocketHello.class, SocketThenHttpClient.class)) {
            long[] without = new long[runs];
            long[] with = new long[runs];
            for (int i = 0; i < runs; i++) {
                without[i] = time(List.of(java, "-cp", cp, program.getName()));
                with[i] = time(List.of(java, "-javaagent:" + agent.getAbsolutePath(), "-Dnullspend.ledger=off",
                        "-cp", cp, program.getName()));
            }
            double a = median(without);
            double b = median(with);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %+.0f |%n", program.getSimpleName(), a, b, b - a);
        }
        System.out.println("(" + runs + " runs each, alternating; java " + System.getProperty("java.version") + ")");
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
