package dev.nullspend.bench;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A long streamed LLM response read through the agent's tee, against the same read without the
 * agent: a server on 127.0.0.1 (random port, in this process) streams an OpenAI Chat Completions
 * SSE body of the given size, generated part by part ({@link SyntheticSseStream}, the fake
 * provider's chunk shapes) and never held whole; a child JVM per run makes the call with one
 * client and reads the body in 8 KiB reads (or line by line), discarding it.
 *
 * <p>Every round runs each client without the agent, then with each agent jar, so machine noise
 * hits all modes alike. The child reports the read's wall time, the process CPU time over the read
 * (every thread: the client's, the agent's reporter, the JIT compiler's and the GC's), the CPU time
 * of its Java threads alone (the per-byte work, without the compiler's one-off work) and the peak heap in use during it (heap pools'
 * peaks after a GC and a reset; garbage included, so an upper bound; the child runs with a small
 * {@code -Xmx}, which alone proves the read bounded). Before the measured call the child makes one
 * 8 MiB call to warm the JIT (a longer warm-up shows the steady state without the compiler's work). With the agent, this process then checks the child's ledger: one line
 * per call with the stream's exact usage (1,200 in, 80 out).
 *
 * <p>Clients: {@code okhttp} (OkHttp 4.12, {@code byteStream()}), {@code jdk} (java.net.http,
 * {@code BodyHandlers.ofInputStream()}), {@code jdk-lines} ({@code BodyHandlers.ofLines()}, every
 * line taken), {@code apache5} (Apache HttpClient 5 classic, the entity's stream). A name ending in
 * {@code -rewrite} sends the request without {@code stream_options.include_usage} and names the
 * server in {@code nullspend.providers.include-usage-hosts}: the agent adds the option and its
 * response filter takes the usage chunk out of what the program reads.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.LongStreamTimer [rounds] [MiB] [client,…]
 * java -Dnullspend.agent.jars=before.jar,agent/target/nullspend-agent.jar -cp … LongStreamTimer 5 200
 * -Dbench.xmx=64m (the child's heap), -Dbench.warmup=8 (MiB of the warm-up call), -Dbench.threads=true (each
 * thread's CPU time during the read), -Dbench.jfr=DIR (a JFR profile of every child with an agent)</pre>
 */
public final class LongStreamTimer {
    private static final long MIB = 1024 * 1024;
    private static final long WARM_UP_BYTES = 8 * MIB;
    private static final int READ_BYTES = 8 * 1024;
    private static final List<String> CLIENTS = List.of("okhttp", "jdk", "jdk-lines", "apache5", "okhttp-rewrite", "jdk-rewrite");
    private static final String MODEL = "gpt-4o-mini";
    private static final String WITH_USAGE = "{\"model\":\"" + MODEL + "\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private static final String WITHOUT_USAGE = "{\"model\":\"" + MODEL + "\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

    private LongStreamTimer() {
    }

    /** What one child run measured. */
    private record Result(long wallNanos, long cpuNanos, long javaThreadsCpuNanos, long peakHeapBytes, long bytesRead) {
        static Result parse(String line) {
            String[] f = line.substring("RESULT ".length()).split(" ");
            return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]));
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long bytes = (args.length > 1 ? Long.parseLong(args[1]) : 200) * MIB;
        List<String> clients = args.length > 2 ? List.of(args[2].split(",")) : CLIENTS;
        List<File> agents = AgentJar.all();
        Path dir = Files.createTempDirectory("nullspend-long-stream");
        try (StreamServer server = new StreamServer()) {
            System.out.printf(Locale.ROOT, "| client | mode | wall (median ms) | process CPU (median ms) "
                    + "| Java threads' CPU (median ms) | peak heap (max MB) | bytes read |%n");
            System.out.println("|---|---|---:|---:|---:|---:|---:|");
            for (String client : clients) {
                List<List<Result>> results = new ArrayList<>();
                for (int m = 0; m <= agents.size(); m++) {
                    results.add(new ArrayList<>());
                }
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m <= agents.size(); m++) {
                        File agent = m == 0 ? null : agents.get(m - 1);
                        Path ledger = dir.resolve("ledger-" + client + "-" + m + "-" + r + ".jsonl");
                        results.get(m).add(runChild(client, bytes, server.port(), agent, ledger, dir, r));
                        if (agent != null) {
                            checkLedger(ledger);
                        }
                    }
                }
                double wallWithout = medianOf(results.get(0), Result::wallNanos);
                double cpuWithout = medianOf(results.get(0), Result::cpuNanos);
                double javaWithout = medianOf(results.get(0), Result::javaThreadsCpuNanos);
                for (int m = 0; m <= agents.size(); m++) {
                    List<Result> rs = results.get(m);
                    double wall = medianOf(rs, Result::wallNanos);
                    double cpu = medianOf(rs, Result::cpuNanos);
                    double java = medianOf(rs, Result::javaThreadsCpuNanos);
                    long peak = rs.stream().mapToLong(Result::peakHeapBytes).max().orElse(0);
                    String mode = m == 0 ? "without agent" : agents.get(m - 1).getName();
                    String ratios = m == 0 ? "" : String.format(Locale.ROOT, " (×%.2f)", wall / wallWithout);
                    String cpuRatio = m == 0 ? "" : String.format(Locale.ROOT, " (×%.2f)", cpu / cpuWithout);
                    String javaRatio = m == 0 ? "" : String.format(Locale.ROOT, " (×%.2f)", java / javaWithout);
                    System.out.printf(Locale.ROOT, "| %s | %s | %.0f%s | %.0f%s | %.0f%s | %.1f | %,d |%n", client, mode, wall / 1e6,
                            ratios, cpu / 1e6, cpuRatio, java / 1e6, javaRatio, peak / 1e6, rs.get(0).bytesRead());
                }
            }
        }
        System.out.printf(Locale.ROOT, "(%d rounds, %d MiB, modes alternating; java %s; load average %.2f)%n", rounds, bytes / MIB,
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Result runChild(String client, long bytes, int port, File agent, Path ledger, Path dir, int round)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + System.getProperty("bench.xmx", "64m")));
        if (agent != null) {
            cmd.add("-javaagent:" + agent.getAbsolutePath());
            cmd.add("-Dnullspend.ledger=" + ledger);
            cmd.add("-Dnullspend.loop.max-calls=0");
            if (client.endsWith("-rewrite")) {
                cmd.add("-Dnullspend.providers.include-usage-hosts=127.0.0.1:" + port);
            }
            String jfr = System.getProperty("bench.jfr");
            if (jfr != null) {
                Files.createDirectories(Path.of(jfr));
                cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr, client + "-" + agent.getName()
                        + "-" + round + ".jfr").toAbsolutePath());
            }
        }
        if (Boolean.getBoolean("bench.threads")) {
            cmd.add("-Dbench.threads=true");
        }
        cmd.add("-Dbench.warmup=" + Long.getLong("bench.warmup", WARM_UP_BYTES / MIB));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), client,
                Long.toString(bytes), Integer.toString(port)));
        Path out = dir.resolve("child.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("child timed out: " + String.join(" ", cmd));
        }
        List<String> lines = Files.readAllLines(out);
        if (Boolean.getBoolean("bench.threads")) {
            lines.stream().filter(l -> l.startsWith("THREAD ")).forEach(l -> System.out.println(client + " " + (agent == null
                    ? "without agent" : agent.getName()) + " " + l));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("child exit " + p.exitValue() + ": " + String.join("\n", lines));
        }
        return lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst().map(Result::parse)
                .orElseThrow(() -> new IllegalStateException("no result: " + String.join("\n", lines)));
    }

    /** Costed exactly: one ledger line per call (the warm-up and the measured one), each with the stream's usage. */
    private static void checkLedger(Path ledger) throws IOException {
        List<String> lines = Files.readAllLines(ledger);
        String usage = "\"inputTokens\":" + CallBodies.USAGE.promptTokens() + ",\"outputTokens\":" + CallBodies.USAGE.completionTokens() + ",";
        if (lines.size() != 2 || !lines.stream().allMatch(l -> l.contains(usage))) {
            throw new IllegalStateException("not costed exactly (" + usage + " on 2 lines): " + lines);
        }
    }

    private static double medianOf(List<Result> results, java.util.function.ToLongFunction<Result> figure) {
        return StartupTimer.median(results.stream().mapToLong(figure).toArray());
    }

    /** The program: one warm-up call, then the measured one; prints {@code RESULT wall cpu javaThreadsCpu peakHeap bytesRead}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String client = args[0];
            long bytes = Long.parseLong(args[1]);
            String url = "http://127.0.0.1:" + args[2] + "/v1/chat/completions?bytes=";
            String body = client.endsWith("-rewrite") ? WITHOUT_USAGE : WITH_USAGE;
            String kind = client.replace("-rewrite", "");
            read(kind, url + Long.getLong("bench.warmup", WARM_UP_BYTES / MIB) * MIB, body);
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            java.util.Map<Long, Long> threads0 = threadCpu();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long read = read(kind, url + bytes, body);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            java.util.Map<Long, Long> threads1 = threadCpu();
            long javaThreads = 0;
            for (java.util.Map.Entry<Long, Long> t : threads1.entrySet()) {
                javaThreads += Math.max(0, t.getValue() - threads0.getOrDefault(t.getKey(), 0L));
            }
            if (Boolean.getBoolean("bench.threads")) {
                printThreadCpu(threads0, threads1);
            }
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.println("RESULT " + wall + " " + cpu + " " + javaThreads + " " + peak + " " + read);
        }

        private static java.util.Map<Long, Long> threadCpu() {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                cpu.put(id, mx.getThreadCpuTime(id));
            }
            return cpu;
        }

        /** The threads that used CPU during the measured read (JIT and GC threads are not Java threads: not listed). */
        private static void printThreadCpu(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after) {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            after.forEach((id, ns) -> {
                long used = ns - before.getOrDefault(id, 0L);
                java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
                if (used > 1_000_000 && info != null) {
                    System.out.println("THREAD " + info.getThreadName() + " " + used / 1_000_000 + " ms");
                }
            });
        }

        /** Makes the call with {@code kind}'s client and reads the whole body; the bytes (or line bytes) read. */
        private static long read(String kind, String url, String body) throws Exception {
            switch (kind) {
                case "okhttp" -> {
                    okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();
                    okhttp3.Request request = new okhttp3.Request.Builder().url(url)
                            .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build();
                    try (okhttp3.Response response = client.newCall(request).execute()) {
                        return drain(response.body().byteStream());
                    }
                }
                case "jdk", "jdk-lines" -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    if (kind.equals("jdk")) {
                        return drain(client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body());
                    }
                    try (Stream<String> lines = client.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
                        return lines.mapToLong(l -> l.length() + 1).sum();
                    }
                }
                case "apache5" -> {
                    try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
                                 org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
                        org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
                        post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body,
                                org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
                        return client.execute(post, response -> drain(response.getEntity().getContent()));
                    }
                }
                default -> throw new IllegalArgumentException("no client " + kind + "; one of " + CLIENTS);
            }
        }

        private static long drain(InputStream in) throws IOException {
            byte[] buf = new byte[READ_BYTES];
            long total = 0;
            try (in) {
                for (int n; (n = in.read(buf)) != -1; ) {
                    total += n;
                }
            }
            return total;
        }
    }

    /** Serves {@code POST …?bytes=N}: an SSE stream of about N bytes, one connection per call, written as it is made. */
    private static final class StreamServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor = new Thread(this::accept, "long-stream-server");

        StreamServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread t = new Thread(() -> serve(connection), "long-stream-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream();
                 OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 64 * 1024)) {
                connection.setTcpNoDelay(true);
                String head = readHead(in);
                String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                long size = Long.parseLong(target.substring(target.indexOf("bytes=") + "bytes=".length()));
                int length = contentLength(head);
                in.readNBytes(length);
                SyntheticSseStream stream = SyntheticSseStream.openAi(MODEL, CallBodies.USAGE, size);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + stream.size()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stream.writeTo(out);
            } catch (IOException e) {
                System.err.println("stream server: " + e);
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int b; (b = in.read()) != -1; ) {
                head.append((char) b);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    break;
                }
            }
            return head.toString();
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, "content-length:".length())) {
                    return Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
