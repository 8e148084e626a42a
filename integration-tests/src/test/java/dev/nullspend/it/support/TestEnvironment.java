package dev.nullspend.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The paths failsafe hands to the tests as system properties (see integration-tests/pom.xml). */
public final class TestEnvironment {

    /**
     * The tag of tests that run older versions of a library whose newest version the whole contract runs:
     * the JDK 25 pass of {@code .ci/run} leaves them out (what they add is the library's, not the JDK's).
     */
    public static final String LIBRARY_VERSIONS = "library-versions";

    /**
     * The tag of tests of the agent's own logic (the API sink, spool, ledger, policy, fleet, report, proxy
     * mode), which touch no JDK internals beyond what every client's contract runs: the JDK 25 pass of
     * {@code .ci/run} leaves them to the JDK 17 pass too, to keep the whole suite within its time.
     */
    public static final String AGENT_LOGIC = "agent-logic";

    private TestEnvironment() {
    }

    /** {@code nullspend.agent.jar}: the shaded agent built by {@code mvn package}. */
    public static Path agentJar() {
        return existingFile("nullspend.agent.jar");
    }

    /** {@code nullspend.demo.jar}: this module's runnable demo jar. */
    public static Path demoJar() {
        return existingFile("nullspend.demo.jar");
    }

    /** {@code <it.java.home>/bin/java}: the JDK that runs the forked programs (17, or 25 in CI's second pass). */
    public static Path javaExecutable() {
        String home = System.getProperty("it.java.home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java");
    }

    /**
     * A class path for a program that must see one library version and nothing else of this module's
     * test class path: this module's classes and test classes (the programs, the fake provider), then
     * every jar the build copied into {@code <it.classpaths>/<folder>}.
     */
    public static List<Path> programClassPath(String folder) {
        List<Path> entries = new ArrayList<>(List.of(Path.of(required("it.test.classes")), Path.of(required("it.classes"))));
        entries.addAll(jars(Path.of(required("it.classpaths"), folder),
                "run the ITs through mvn verify (pre-integration-test copies them)"));
        return entries;
    }

    /** The jars in {@code dir}, sorted; {@code remedy} says what to do when there are none. */
    private static List<Path> jars(Path dir, String remedy) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException(dir + " holds no jar: " + remedy);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + " cannot be listed: " + remedy, e);
        }
    }

    /** {@code it.okhttp.versions}: the OkHttp versions under test; each has its folder {@code okhttp-<version>}. */
    public static List<String> okHttpVersions() {
        return List.of(required("it.okhttp.versions").split(","));
    }

    /** {@code it.openai-java.version}: the OpenAI Java SDK under test, in the folder {@code openai-java-<version>}. */
    public static String openAiJavaVersion() {
        return required("it.openai-java.version");
    }

    /** {@code it.langchain4j.version}: the LangChain4j under test, in the folder {@code langchain4j-<version>}. */
    public static String langChain4jVersion() {
        return required("it.langchain4j.version");
    }

    /** {@code it.anthropic-java.version}: the Anthropic Java SDK under test, in the folder {@code anthropic-java-<version>}. */
    public static String anthropicJavaVersion() {
        return required("it.anthropic-java.version");
    }

    /** {@code it.google-genai.version}: the Google Gen AI Java SDK under test, in the folder {@code google-genai-<version>}. */
    public static String googleGenaiVersion() {
        return required("it.google-genai.version");
    }

    /**
     * {@code it.apps}: the folder of the {@code it-apps/} modules; {@code <it.apps>/<name>/target/classpath} holds
     * the jars of that program's own dependency tree and its own jar (see the root pom's modules).
     */
    public static List<Path> itAppClassPath(String name) {
        return jars(Path.of(required("it.apps"), name, "target", "classpath"),
                "build it-apps/" + name + " in the same reactor (-pl …,it-apps/" + name + ",integration-tests)");
    }

    /**
     * A class path for this module's programs (the client drivers) on an {@code it-apps/} module's library versions:
     * this module's classes and test classes, that module's jars, then the program's own copy of {@code agent-api}
     * from this JVM's class path (the module brings its own Jackson).
     */
    public static List<Path> programClassPathOnItApp(String name) {
        List<Path> entries = new ArrayList<>(List.of(Path.of(required("it.test.classes")), Path.of(required("it.classes"))));
        entries.addAll(itAppClassPath(name));
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).filter(e -> e.contains("agent-api"))
                .map(Path::of).forEach(entries::add);
        return entries;
    }

    /** A system property failsafe sets (see integration-tests/pom.xml). */
    public static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs through failsafe (mvn verify)");
        }
        return value;
    }

    private static Path existingFile(String property) {
        Path path = Path.of(required(property)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(property + " = " + path + " does not exist: run mvn package first");
        }
        return path;
    }
}
