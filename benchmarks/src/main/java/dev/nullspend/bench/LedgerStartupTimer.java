package dev.nullspend.bench;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up with a large ledger against start-up with none: with a local budget the agent restores
 * the spend of the current period before the first LLM call may go, so a program whose first action
 * is an HTTP client waits for it. Generates a ledger of the given size (1 GiB by default) in a
 * temporary directory, deleted at the end; starts once to build the spend record beside it (timed
 * apart: the one start that reads the whole ledger), then alternates starts with an absent ledger
 * and with the large one, and prints the medians as a Markdown table.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.nullspend.bench.LedgerStartupTimer [runs] [MiB]</pre>
 */
public final class LedgerStartupTimer {
    private LedgerStartupTimer() {
    }

    /**
     * The first start: waits (at most 30 minutes) until the spend record named by its argument
     * exists, since a program that ends before the agent has read the whole ledger leaves no record.
     */
    public static final class AwaitRecord {
        public static void main(String[] args) throws InterruptedException {
            Path record = Path.of(args[0]);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(30);
            while (!Files.exists(record)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + record);
                }
                Thread.sleep(20);
            }
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        File agent = AgentJar.locate();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("nullspend-ledger-bench");
        try {
            Path big = dir.resolve("big/ledger.jsonl");
            Path none = dir.resolve("none/ledger.jsonl");
            long started = System.nanoTime();
            long lines = generate(big, mib << 20);
            System.out.printf(Locale.ROOT, "generated %s: %,d bytes, %,d events in %d ms%n", big, Files.size(big), lines,
                    (System.nanoTime() - started) / 1_000_000);
            List<String> program = List.of("-cp", cp, StartupTimer.HttpClientHello.class.getName());
            Path record = big.resolveSibling(big.getFileName() + ".spend");
            long rebuild = StartupTimer.time(command(java, agent, big,
                    List.of("-cp", cp, AwaitRecord.class.getName(), record.toString())));
            System.out.printf(Locale.ROOT, "first start, until the spend record was built from the whole ledger: %d ms"
                    + " (%s: %,d bytes)%n", rebuild, record.getFileName(), Files.size(record));
            long[][] empty = new long[3][runs];
            long[][] large = new long[3][runs];
            for (int i = 0; i < runs; i++) {
                // Each mode goes first in every other pair, so neither always follows the other.
                boolean noneFirst = i % 2 == 0;
                Run first = Run.of(command(java, agent, noneFirst ? none : big, program));
                Run second = Run.of(command(java, agent, noneFirst ? big : none, program));
                Run e = noneFirst ? first : second;
                Run l = noneFirst ? second : first;
                empty[0][i] = e.wallMillis;
                empty[1][i] = e.coreMillis;
                empty[2][i] = e.restoreMillis;
                large[0][i] = l.wallMillis;
                large[1][i] = l.coreMillis;
                large[2][i] = l.restoreMillis;
            }
            System.out.println("| ledger | process start to exit (median ms) | agent core start-up (median ms) | spend restore (median ms) |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| none | %.0f | %.0f | %.0f |%n", StartupTimer.median(empty[0]),
                    StartupTimer.median(empty[1]), StartupTimer.median(empty[2]));
            System.out.printf(Locale.ROOT, "| %,d MiB, spend record present | %.0f (%+.0f) | %.0f (%+.0f) | %.0f (%+.0f) |%n", mib,
                    StartupTimer.median(large[0]), StartupTimer.median(large[0]) - StartupTimer.median(empty[0]),
                    StartupTimer.median(large[1]), StartupTimer.median(large[1]) - StartupTimer.median(empty[1]),
                    StartupTimer.median(large[2]), StartupTimer.median(large[2]) - StartupTimer.median(empty[2]));
            System.out.println("(" + runs + " runs each, alternating, each mode first in every other pair; HttpClientHello with nullspend.budget.limit-usd; java "
                    + System.getProperty("java.version") + ")");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<String> command(String java, File agent, Path ledger, List<String> program) {
        return Stream.concat(Stream.of(java, "-javaagent:" + agent.getAbsolutePath(), "-Dnullspend.ledger=" + ledger,
                "-Dnullspend.budget.limit-usd=1000000", "-Dnullspend.log.level=debug"), program.stream()).toList();
    }

    /** One start: its wall time, and the agent's own debug figures for its core and for the spend restore. */
    private record Run(long wallMillis, long coreMillis, long restoreMillis) {
        private static final Pattern CORE = Pattern.compile("start-up: instrumentation \\d+ ms, core (\\d+) ms");
        private static final Pattern RESTORE = Pattern.compile("spend restored from .* in (\\d+) ms");

        static Run of(List<String> command) throws IOException, InterruptedException {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            long wall = (System.nanoTime() - start) / 1_000_000;
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + String.join(" ", command) + "\n" + output);
            }
            return new Run(wall, figure(CORE, output, false), figure(RESTORE, output, true));
        }

        /** The number the pattern captures; -1 when an optional one is not in the output. */
        private static long figure(Pattern pattern, String output, boolean required) {
            Matcher m = pattern.matcher(output);
            if (!m.find()) {
                if (!required) {
                    return -1;
                }
                throw new IllegalStateException("no " + pattern + " in:\n" + output);
            }
            return Long.parseLong(m.group(1));
        }
    }

    /** Ledger lines as the agent writes them (~330 bytes each), up to {@code bytes}; returns their number. */
    private static long generate(Path ledger, long bytes) throws IOException {
        Files.createDirectories(ledger.getParent());
        Instant now = Instant.now();
        long written = 0;
        long n = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(ledger), 1 << 20)) {
            while (written < bytes) {
                String line = "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"inputTokens\":1200,\"outputTokens\":80,"
                        + "\"cachedInputTokens\":0,\"reasoningTokens\":0,\"costMicrodollars\":228,\"costBreakdown\":"
                        + "{\"input\":180,\"output\":48,\"cached\":0,\"reasoning\":0},\"durationMs\":412,\"eventType\":\"llm\","
                        + "\"tags\":{\"team\":\"search\"},\"idempotencyKey\":\"ns_bench-" + n + "\",\"createdAt\":\""
                        + now.minusMillis(bytes / 300 - n) + "\"}\n";
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
                n++;
            }
        }
        return n;
    }
}
