package dev.nullspend.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs a program in a new JVM, optionally under the NullSpend agent, the way a user would:
 * <pre>
 *   &lt;it.java.home&gt;/bin/java -javaagent:&lt;agent jar&gt; -Dnullspend.ledger=&lt;work dir&gt;/ledger.jsonl -D… -cp &lt;test class path&gt; Main args…
 * </pre>
 * The child gets this JVM's class path (test classes, the fake provider, Jackson 2.12.7 …) unless it
 * runs a jar with {@link Builder#jar(Path)} or is given one with {@link Builder#classPath(List)}. Its
 * working directory is the given work dir, and the {@code NULLSPEND_*}, {@code JAVA_TOOL_OPTIONS} and
 * {@code JDK_JAVA_OPTIONS} variables of this process are removed, so neither the developer's settings
 * nor "Picked up …" lines reach the child.
 */
public final class ForkedJvm {

    /** Every line the agent writes on stderr starts with this. */
    public static final String AGENT_LOG_PREFIX = "[nullspend] ";

    private static final ObjectMapper LINE_JSON = new ObjectMapper();
    private static final Pattern VM_WARNING =
            Pattern.compile("(OpenJDK|Java HotSpot\\(TM\\)) 64-Bit (Server|Client) VM warning: .*");

    /** The ledger file name inside the work dir. */
    public static final String LEDGER_FILE = "ledger.jsonl";

    private ForkedJvm() {
    }

    /** A child JVM working in {@code workDir} (use a JUnit {@code @TempDir}), with the agent by default. */
    public static Builder in(Path workDir) {
        return new Builder(workDir);
    }

    /** What to run and how. */
    public static final class Builder {
        private final Path workDir;
        private boolean agent = true;
        private String mainClass;
        private Path jar;
        private List<Path> classPath;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(60);
        private Consumer<String> stdoutListener = line -> { };
        private BooleanSupplier killWhen = () -> false;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Whether to add {@code -javaagent} and {@code -Dnullspend.ledger} (default true). */
        public Builder agent(boolean withAgent) {
            this.agent = withAgent;
            return this;
        }

        public Builder mainClass(Class<?> main) {
            this.mainClass = main.getName();
            this.jar = null;
            return this;
        }

        /** A main class by name: one of a program on its own {@link #classPath}, which this JVM cannot load. */
        public Builder mainClass(String name) {
            this.mainClass = name;
            this.jar = null;
            return this;
        }

        /** Runs {@code java -jar jar} instead of a main class on the test class path. */
        public Builder jar(Path executableJar) {
            this.jar = executableJar;
            this.mainClass = null;
            return this;
        }

        /**
         * Runs the main class on exactly these entries instead of this JVM's class path: for a program
         * that must see one version of a library (an OkHttp matrix, an SDK with its own Jackson).
         */
        public Builder classPath(List<Path> entries) {
            this.classPath = List.copyOf(entries);
            return this;
        }

        public Builder args(String... programArgs) {
            args.addAll(List.of(programArgs));
            return this;
        }

        /** The program's arguments as calls: each call's {@code key=value}s, the calls separated by {@code --}. */
        public Builder calls(List<List<String>> calls) {
            for (List<String> call : calls) {
                if (!args.isEmpty()) {
                    args.add("--");
                }
                args.addAll(call);
            }
            return this;
        }

        /** A {@code -Dkey=value} for the child (with or without the agent). */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /** A JVM option for the child, such as {@code -Xlog:class+load=info:file=classes.txt}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /**
         * Called on a reader thread with each stdout line as soon as the child prints it, so a test can
         * react while the child runs. An exception thrown here fails {@link #run()}.
         */
        public Builder onStdoutLine(Consumer<String> listener) {
            this.stdoutListener = listener;
            return this;
        }

        /**
         * Kills the child with SIGKILL ({@link Process#destroyForcibly()}, as {@code kill -9}) as soon as
         * {@code condition} holds; it is checked every 20 ms while the child runs. Its exit code is then 137.
         */
        public Builder killWhen(BooleanSupplier condition) {
            this.killWhen = condition;
            return this;
        }

        /** Starts the child, waits for it (at most the timeout) and returns what it did. */
        public Result run() {
            List<String> command = command();
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.keySet().removeIf(name -> name.startsWith("NULLSPEND_")
                    || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
            childEnv.putAll(env);
            Instant started = Instant.now();
            long start = System.nanoTime();
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            closeStdin(process);
            LineCollector stdout = new LineCollector(process.getInputStream(), "stdout", stdoutListener);
            LineCollector stderr = new LineCollector(process.getErrorStream(), "stderr", line -> { });
            boolean finished = waitFor(process);
            if (!finished) {
                process.destroyForcibly();
                waitFor(process);
            }
            stdout.join();
            stderr.join();
            Result result = new Result(command, finished ? process.exitValue() : -1,
                    stdout.lines(), stderr.lines(), started, Duration.ofNanos(System.nanoTime() - start),
                    agent ? workDir.resolve(LEDGER_FILE) : null);
            if (!finished) {
                throw new AssertionError("child JVM did not finish within " + timeout + "\n" + result.describe());
            }
            if (stdout.listenerFailure() != null) {
                throw new AssertionError("stdout listener failed\n" + result.describe(), stdout.listenerFailure());
            }
            return result;
        }

        /** The programs read no input; an open pipe would only let one block forever. */
        private static void closeStdin(Process process) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private boolean waitFor(Process process) {
            try {
                long end = System.nanoTime() + timeout.toNanos();
                while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                    if (killWhen.getAsBoolean()) {
                        process.destroyForcibly();
                        return process.waitFor(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                    if (System.nanoTime() - end >= 0) {
                        return false;
                    }
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for the child JVM", e);
            }
        }

        private List<String> command() {
            if (mainClass == null && jar == null) {
                throw new IllegalStateException("set a main class or a jar");
            }
            List<String> command = new ArrayList<>();
            command.add(TestEnvironment.javaExecutable().toString());
            command.addAll(jvmOptions);
            if (agent) {
                command.add("-javaagent:" + TestEnvironment.agentJar());
                command.add("-Dnullspend.ledger=" + workDir.resolve(LEDGER_FILE));
            }
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            if (jar != null) {
                command.add("-jar");
                command.add(jar.toString());
            } else {
                command.add("-cp");
                command.add(classPath == null ? System.getProperty("java.class.path")
                        : String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
                command.add(mainClass);
            }
            command.addAll(args);
            return command;
        }
    }

    /**
     * What a child JVM did.
     *
     * @param ledgerFile the ledger it was told to write, or null when it ran without the agent
     */
    public record Result(List<String> command, int exitCode, List<String> stdoutLines, List<String> stderrLines,
                         Instant started, Duration elapsed, Path ledgerFile) {

        /**
         * stderr without HotSpot's own {@code VM warning:} lines. The JVM prints one, for example, when an
         * agent appends to the boot class path while class data sharing is on; neither the program nor
         * the agent's log writes it.
         */
        public List<String> stderrWithoutVmWarnings() {
            return stderrLines.stream().filter(line -> !VM_WARNING.matcher(line).matches()).toList();
        }

        /** The stderr lines written by the agent ({@code [nullspend] } prefix). */
        public List<String> agentLines() {
            return stderrLines.stream().filter(line -> line.startsWith(AGENT_LOG_PREFIX)).toList();
        }

        /** The value of the first stdout line {@code key=value}; fails when there is none. */
        public String stdoutValue(String key) {
            String prefix = key + "=";
            return stdoutLines.stream().filter(line -> line.startsWith(prefix)).findFirst()
                    .map(line -> line.substring(prefix.length()))
                    .orElseThrow(() -> new AssertionError("no stdout line " + prefix + "…\n" + describe()));
        }

        /** Each call's {@code result={json}} line, parsed, in order: what the client programs print per call. */
        public List<JsonNode> results() {
            return jsonLines("result");
        }

        /** The JSON of every stdout line {@code key={json}}, parsed, in order. */
        public List<JsonNode> jsonLines(String key) {
            String prefix = key + "=";
            List<JsonNode> out = new ArrayList<>();
            for (String line : stdoutLines) {
                if (line.startsWith(prefix)) {
                    try {
                        out.add(LINE_JSON.readTree(line.substring(prefix.length())));
                    } catch (IOException e) {
                        throw new UncheckedIOException(line, e);
                    }
                }
            }
            return out;
        }

        /** The ledger's events; fails when this child ran without the agent. */
        public List<JsonNode> ledger() {
            if (ledgerFile == null) {
                throw new IllegalStateException("this child ran without the agent: no ledger");
            }
            return Ledger.read(ledgerFile);
        }

        /** Command, exit code, stdout and stderr: the context for every assertion message. */
        public String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + ", elapsed " + elapsed.toMillis()
                    + " ms\n--- stdout ---\n" + String.join("\n", stdoutLines)
                    + "\n--- stderr ---\n" + String.join("\n", stderrLines) + "\n---";
        }
    }

    /** Reads one stream of the child line by line on its own thread. */
    private static final class LineCollector {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile Throwable listenerFailure;

        LineCollector(InputStream in, String name, Consumer<String> listener) {
            thread = new Thread(() -> collect(in, listener), "forked-jvm-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void collect(InputStream in, Consumer<String> listener) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                    notify(listener, line);
                }
            } catch (IOException e) {
                lines.add("<" + thread.getName() + " read failed: " + e + ">");
            }
        }

        private void notify(Consumer<String> listener, String line) {
            if (listenerFailure != null) {
                return;
            }
            try {
                listener.accept(line);
            } catch (RuntimeException | AssertionError e) {
                listenerFailure = e;
            }
        }

        void join() {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        Throwable listenerFailure() {
            return listenerFailure;
        }
    }
}
