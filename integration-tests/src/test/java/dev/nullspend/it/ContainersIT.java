package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.FelixApp;
import dev.nullspend.it.apps.HiddenAgentApp;
import dev.nullspend.it.apps.TomcatApp;
import dev.nullspend.it.containers.ContainerCalls;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs inside application containers, whose class loaders pass nothing but {@code java.*} (and
 * their own lists) to the boot class path: JBoss Modules (WildFly's) with OkHttp, Apache HttpClient 5
 * and {@code java.net.http}, Apache Felix with OkHttp wrapped as a bundle, embedded Tomcat with OkHttp
 * in a webapp's {@code WEB-INF/lib}. No container switch is set (no {@code jboss.modules.system.pkgs},
 * no {@code org.osgi.framework.bootdelegation}): in each, the program ({@link ContainerCalls}, packed into
 * the container's own archive) gets one exact event for a whole and a streamed chat call, the provider's
 * bytes untouched, and a denial it catches by its type, {@code dev.nullspend.api.MandateViolationException},
 * before a byte is sent. Containers: the {@code containers} folder of {@code it.classpaths} (versions in
 * integration-tests/pom.xml and docs/supported.md).
 */
@ExtendWith(FakeServers.class)
class ContainersIT {
    private static final String DENIED = "denied=dev.nullspend.api.MandateViolationException mandate_violation";

    @TempDir
    Path workDir;

    @Test
    void jbossModulesWithOkHttpAsAModule(Fakes fakes) throws IOException {
        Path repo = workDir.resolve("modules");
        module(repo, "okhttp", jars("okhttp-" + okHttpVersion()), List.of("java.base", "java.logging"));
        appModule(repo, "okhttp");
        assertCosted(fakes, 11_101, jbossModules(repo), "okhttp", "org.jboss.modules.ModuleClassLoader");
    }

    @Test
    void jbossModulesWithApacheHttpClient5AsAModule(Fakes fakes) throws IOException {
        Path repo = workDir.resolve("modules");
        module(repo, "httpclient5", jars("httpclient5-" + TestEnvironment.required("it.httpclient5.version")),
                List.of("java.base", "java.logging", "java.naming"));
        appModule(repo, "httpclient5");
        assertCosted(fakes, 11_201, jbossModules(repo), "hc5", "org.jboss.modules.ModuleClassLoader");
    }

    @Test
    void jbossModulesWithJavaNetHttp(Fakes fakes) throws IOException {
        Path repo = workDir.resolve("modules");
        appModule(repo, null);
        assertCosted(fakes, 11_301, jbossModules(repo), "jdk", "org.jboss.modules.ModuleClassLoader");
    }

    @Test
    void felixWithOkHttpAsABundle(Fakes fakes) throws IOException {
        Path okhttp = workDir.resolve("okhttp-bundle.jar");
        List<Path> embedded = jars("okhttp-" + okHttpVersion());
        List<String> bundleClassPath = new ArrayList<>(List.of("."));
        embedded.forEach(jar -> bundleClassPath.add(jar.getFileName().toString()));
        Manifest okhttpManifest = bundle("test.okhttp");
        okhttpManifest.getMainAttributes().putValue("Bundle-ClassPath", String.join(",", bundleClassPath));
        okhttpManifest.getMainAttributes().putValue("Export-Package", "okhttp3");
        okhttpManifest.getMainAttributes().putValue("DynamicImport-Package", "*");
        writeJar(okhttp, okhttpManifest, embedded, null);
        Path app = workDir.resolve("app-bundle.jar");
        Manifest appManifest = bundle("test.app");
        appManifest.getMainAttributes().putValue("Import-Package", "okhttp3");
        writeJar(app, appManifest, List.of(), containerClasses());

        ForkedJvm.Builder felix = ForkedJvm.in(workDir).mainClass(FelixApp.class)
                .classPath(List.of(testClasses(), container("org.apache.felix.framework")))
                .args(workDir.resolve("felix-cache").toString(), okhttp.toString(), app.toString());
        assertCosted(fakes, 11_401, felix, "okhttp", "org.apache.felix.framework.BundleWiringImpl$BundleClassLoader");
    }

    @Test
    void tomcatWebappWithOkHttpInWebInfLib(Fakes fakes) throws IOException {
        Path webapp = workDir.resolve("webapp");
        Path lib = Files.createDirectories(webapp.resolve("WEB-INF/lib"));
        for (Path jar : jars("okhttp-" + okHttpVersion())) {
            Files.copy(jar, lib.resolve(jar.getFileName()));
        }
        copyContainerClasses(webapp.resolve("WEB-INF/classes"));

        ForkedJvm.Builder tomcat = ForkedJvm.in(workDir).mainClass(TomcatApp.class)
                .classPath(List.of(testClasses(), container("tomcat-embed-core"), container("tomcat-annotations-api")))
                .args(workDir.resolve("tomcat").toString(), webapp.toString());
        assertCosted(fakes, 11_501, tomcat, "okhttp", "org.apache.catalina.loader.ParallelWebappClassLoader");
    }

    /**
     * A loader the agent cannot teach (its name has no "Loader") that hides {@code dev.nullspend.api}: the
     * helpers can be defined there, but the advice could never link. Not "instrumented": OkHttp's calls go
     * through untouched, and the agent says so once for that loader with the library's name and what
     * would help, and counts it in the exit summary.
     */
    @Test
    void aLoaderThatHidesTheAgentIsNamedOnceAndCountedNeverInstrumented(Fakes fakes) throws IOException {
        FakeUsage usage = new FakeUsage(11_601, 0, 9, 0);
        String url = fakes.provider().chatCompletionsUrl(Scenario.OK, usage);
        List<String> args = new ArrayList<>(List.of(url, testClasses().toString()));
        jars("okhttp-" + okHttpVersion()).forEach(jar -> args.add(jar.toString()));

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(HiddenAgentApp.class)
                .classPath(List.of(testClasses()))
                .systemProperty("nullspend.log.level", "debug")
                .args(args.toArray(String[]::new)).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(fakes.provider().requestCount(URI.create(url).getPath())).as(run.describe()).isEqualTo(2);
        String body = digestWithoutAgent(url, HiddenAgentApp.BODY);
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly("call0=" + body, "call1=" + body);
        assertThat(run.ledger()).as(run.describe()).isEmpty();
        List<String> warnings = run.agentLines().stream().filter(line -> line.contains(" WARN ")).toList();
        assertThat(warnings).as(run.describe()).hasSize(2);
        assertThat(warnings.get(0)).as(run.describe())
                .startsWith("[nullspend] WARN cannot run the agent's okhttp instrumentation in class loader "
                        + HiddenAgentApp.class.getName() + "$HidingClassPath")
                .contains("okhttp calls made through that loader are not costed nor checked")
                .contains("Make that loader delegate the packages dev.nullspend.* to its parent")
                .contains("NoClassDefFoundError: dev/nullspend/api/");
        assertThat(warnings.get(1)).as(run.describe()).isEqualTo("[nullspend] WARN NullSpend summary: 1 class loader could"
                + " not be instrumented (okhttp): calls through it were not seen (see the warning above)");
        assertThat(run.agentLines()).as("never said to be instrumented\n%s", run.describe())
                .noneMatch(line -> line.contains("instrumented okhttp3.OkHttpClient"));
    }

    /**
     * Runs the container with the three calls' URLs appended to its arguments, and checks: the program's
     * lines (the provider's exact bytes for the whole and the streamed call, fetched again below without
     * the agent; the typed denial), one exact event per admitted call, nothing sent for the denied one,
     * and no warning from the agent.
     */
    private void assertCosted(Fakes fakes, long promptTokens, ForkedJvm.Builder container, String client,
                              String loader) {
        FakeProviderServer provider = fakes.provider();
        FakeUsage whole = new FakeUsage(promptTokens, 0, 31, 0);
        FakeUsage streamed = new FakeUsage(promptTokens + 1, 128, 47, 0);
        FakeUsage denied = new FakeUsage(promptTokens + 2, 0, 5, 0);
        String wholeUrl = provider.chatCompletionsUrl(Scenario.OK, whole);
        String streamedUrl = provider.chatCompletionsUrl(Scenario.OK, streamed);
        String deniedUrl = provider.chatCompletionsUrl(Scenario.OK, denied);

        List<String> args = new ArrayList<>(List.of(client, wholeUrl, streamedUrl, deniedUrl));
        ForkedJvm.Result run = container.args(args.toArray(String[]::new))
                .systemProperty("nullspend.allowed-models", "gpt-4o,gpt-4o-mini").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(provider.requestCount(URI.create(deniedUrl).getPath())).as("the denied call sent nothing\n%s",
                run.describe()).isZero();
        assertThat(provider.requestCount(URI.create(wholeUrl).getPath())).as(run.describe()).isEqualTo(1);
        assertThat(provider.requestCount(URI.create(streamedUrl).getPath())).as(run.describe()).isEqualTo(1);
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "whole=" + digestWithoutAgent(wholeUrl, ContainerCalls.WHOLE),
                "streamed=" + digestWithoutAgent(streamedUrl, ContainerCalls.STREAMED),
                DENIED,
                "loader=" + loader);
        assertExactOpenAiEvents(run, List.of(new ExpectedCall("gpt-4o-mini", whole), new ExpectedCall("gpt-4o", streamed)));
        assertThat(run.agentLines().stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                .as("the denial is the one warning\n%s", run.describe()).singleElement().asString()
                .startsWith("[nullspend] WARN denied a call: Mandate violation: model o3 is not allowed");
    }

    /** The length and SHA-256 of what the provider answers to {@code json}, asked from this JVM (no agent). */
    private static String digestWithoutAgent(String url, String json) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            return ContainerCalls.digest(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code java -jar jboss-modules.jar -mp <repo> app …}. */
    private ForkedJvm.Builder jbossModules(Path repo) {
        return ForkedJvm.in(workDir).jar(container("jboss-modules")).args("-mp", repo.toString(), "app");
    }

    /** The program's module: this package's classes, depending on {@code library} (null: the JDK's client only). */
    private static void appModule(Path repo, String library) throws IOException {
        Path dir = Files.createDirectories(repo.resolve("app/main"));
        writeJar(dir.resolve("app.jar"), new Manifest(), List.of(), containerClasses());
        StringBuilder deps = new StringBuilder();
        for (String dep : library == null ? List.of("java.base", "java.net.http") : List.of("java.base", library)) {
            deps.append("    <module name=\"").append(dep).append("\"/>\n");
        }
        Files.writeString(dir.resolve("module.xml"), "<module xmlns=\"urn:jboss:module:1.9\" name=\"app\">\n"
                + "  <main-class name=\"" + ContainerCalls.class.getName() + "\"/>\n"
                + "  <resources>\n    <resource-root path=\"app.jar\"/>\n  </resources>\n"
                + "  <dependencies>\n" + deps + "  </dependencies>\n</module>\n");
    }

    /** A library module: its jars copied beside its module.xml, which lists them. */
    private static void module(Path repo, String name, List<Path> jars, List<String> dependencies) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(name).resolve("main"));
        StringBuilder xml = new StringBuilder("<module xmlns=\"urn:jboss:module:1.9\" name=\"" + name + "\">\n  <resources>\n");
        for (Path jar : jars) {
            Files.copy(jar, dir.resolve(jar.getFileName()));
            xml.append("    <resource-root path=\"").append(jar.getFileName()).append("\"/>\n");
        }
        xml.append("  </resources>\n  <dependencies>\n");
        for (String dep : dependencies) {
            xml.append("    <module name=\"").append(dep).append("\"/>\n");
        }
        Files.writeString(dir.resolve("module.xml"), xml.append("  </dependencies>\n</module>\n"));
    }

    private static Manifest bundle(String symbolicName) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        return manifest;
    }

    /** A jar of {@code manifest}, the given jars at its root (a bundle's embedded class path) and {@code classes}. */
    private static void writeJar(Path file, Manifest manifest, List<Path> embedded, Path classes) throws IOException {
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (Path jar : embedded) {
                out.putNextEntry(new JarEntry(jar.getFileName().toString()));
                Files.copy(jar, out);
                out.closeEntry();
            }
            if (classes != null) {
                for (Path f : classFiles(classes)) {
                    out.putNextEntry(new JarEntry(testClasses().relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
    }

    /** The compiled {@code dev/nullspend/it/containers} folder: what the container holds of the program. */
    private static Path containerClasses() {
        return testClasses().resolve(ContainerCalls.class.getPackageName().replace('.', '/'));
    }

    private static void copyContainerClasses(Path classesDir) throws IOException {
        Path from = containerClasses();
        for (Path f : classFiles(from)) {
            Path to = classesDir.resolve(testClasses().relativize(f));
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
    }

    private static List<Path> classFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static Path testClasses() {
        return Path.of(TestEnvironment.required("it.test.classes"));
    }

    private static String okHttpVersion() {
        return TestEnvironment.okHttpVersions().get(1); // 4.x: the one the program is compiled against
    }

    /** The jars of a library's folder under {@code it.classpaths}. */
    private static List<Path> jars(String folder) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(TestEnvironment.required("it.classpaths"), folder))) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The container jar whose name starts with {@code artifact} in the {@code containers} folder. */
    private static Path container(String artifact) {
        try {
            return jars("containers").stream().filter(f -> f.getFileName().toString().startsWith(artifact + "-"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(artifact + " is not in it.classpaths/containers"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
