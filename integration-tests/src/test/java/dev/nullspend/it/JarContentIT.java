package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The shaded agent jar holds only our packages, so nothing in it can clash with a program's classes. */
class JarContentIT {

    private static final List<String> ALLOWED_PREFIXES = List.of("META-INF/", "dev/nullspend/agent/", "dev/nullspend/api/");

    @Test
    void everyEntryIsUnderAnAllowedPrefix() throws IOException {
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            List<String> outside = jar.stream().map(JarEntry::getName).filter(name -> !allowed(name)).toList();

            assertThat(jar.size()).isPositive();
            assertThat(outside).as("entries outside %s (dependencies belong under dev/nullspend/agent/shaded/)", ALLOWED_PREFIXES)
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Premain-Class", "Agent-Class"})
    void manifestNamesAnAgentClassThatIsInTheJar(String attribute) throws IOException {
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            String className = manifest.getValue(attribute);

            assertThat(className).as(attribute).isNotBlank();
            assertThat(jar.getEntry(className.replace('.', '/') + ".class")).as("class %s named by %s", className, attribute)
                    .isNotNull();
        }
    }

    /**
     * Fleet mode's Redis client and what it needs are inside, relocated (docs/fleet.md), and their SLF4J
     * finds its relocated no-op provider through the agent's own service file, never the program's SLF4J.
     */
    @Test
    void theRedisClientAndItsDependenciesAreRelocated() throws IOException {
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            for (String entry : List.of("redis/clients/jedis/Jedis.class", "org/apache/commons/pool2/ObjectPool.class",
                    "org/slf4j/LoggerFactory.class", "org/slf4j/nop/NOPServiceProvider.class", "org/json/JSONObject.class",
                    "com/google/gson/Gson.class")) {
                assertThat(jar.getEntry("dev/nullspend/agent/shaded/" + entry)).as(entry).isNotNull();
                assertThat(jar.getEntry(entry)).as("%s unrelocated", entry).isNull();
            }
            JarEntry provider = jar.getJarEntry("META-INF/services/dev.nullspend.agent.shaded.org.slf4j.spi.SLF4JServiceProvider");
            try (var in = jar.getInputStream(provider)) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip())
                        .isEqualTo("dev.nullspend.agent.shaded.org.slf4j.nop.NOPServiceProvider");
            }
            assertThat(jar.getEntry("dev/nullspend/agent/fleet/admit.lua")).isNotNull();
            assertThat(jar.getEntry("dev/nullspend/agent/fleet/settle.lua")).isNotNull();
        }
    }

    /**
     * The metrics libraries (docs/metrics.md) are relocated with their service files: the OTLP exporter
     * finds its JDK sender through {@code ServiceLoader} under the relocated name, and only there.
     */
    @Test
    void theMetricsLibrariesAreRelocatedWithTheirServiceFiles() throws IOException {
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            String sender = "META-INF/services/dev.nullspend.agent.shaded.io.opentelemetry.sdk.common.export.HttpSenderProvider";
            assertThat(jar.getEntry(sender)).as(sender).isNotNull();
            assertThat(new String(jar.getInputStream(jar.getEntry(sender)).readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("dev.nullspend.agent.shaded.io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
            List<String> services = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/")).toList();
            assertThat(services).containsExactlyInAnyOrder(sender,
                    "META-INF/services/dev.nullspend.agent.instrumentation.InstrumentationModule",
                    "META-INF/services/dev.nullspend.agent.provider.ProviderFamily",
                    "META-INF/services/dev.nullspend.agent.shaded.org.slf4j.spi.SLF4JServiceProvider");
            assertThat(jar.getEntry("dev/nullspend/agent/shaded/io/prometheus/metrics/exporter/httpserver/HTTPServer.class"))
                    .isNotNull();
            assertThat(jar.getEntry("dev/nullspend/agent/shaded/io/opentelemetry/sdk/metrics/SdkMeterProvider.class"))
                    .isNotNull();
            // No OkHttp sender (a library we instrument) and no protobuf exposition format: text and the JDK client only.
            assertThat(jar.stream().map(JarEntry::getName)).noneMatch(n -> n.contains("/sender/okhttp/")
                    || n.contains("/expositionformats/internal/") || n.startsWith("META-INF/native-image/"));
        }
    }

    /**
     * No class in the jar uses {@code java.util.logging.Logger}: the metrics libraries' references are rewritten to the
     * agent's {@code LibraryLogger}, so they never start the program's {@code LogManager}.
     */
    @Test
    void noClassTouchesJavaUtilLogging() throws IOException {
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            List<String> users = new ArrayList<>();
            int rewritten = 0;
            for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                String constants = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                if (constants.contains("java/util/logging/Logger")) {
                    users.add(e.getName());
                }
                if (constants.contains("dev/nullspend/agent/metrics/logging/LibraryLogger")) {
                    rewritten++;
                }
            }
            assertThat(users).isEmpty();
            // 43 classes of OpenTelemetry 1.68 and the Prometheus client 1.10 log, and LibraryLogger names itself.
            assertThat(rewritten).as("classes that name LibraryLogger").isEqualTo(44);
        }
    }

    /**
     * ByteBuddy's transformer factory is the agent's precompiled one (net.bytebuddy.agent.builder.PrecompiledTransformerFactory,
     * renamed by the shade plugin), not ByteBuddy's, which generates a class at start-up: a ByteBuddy upgrade that
     * renames the class it replaces would leave ByteBuddy's in the jar.
     */
    @Test
    void byteBuddysTransformerFactoryIsThePrecompiledOne() throws IOException {
        String factory = "dev/nullspend/agent/shaded/net/bytebuddy/agent/builder/AgentBuilder$Default$ExecutingTransformer$Factory$CreationAction";
        try (JarFile jar = new JarFile(TestEnvironment.agentJar().toFile())) {
            JarEntry replaced = jar.getJarEntry(factory + ".class");
            assertThat(replaced).as(factory).isNotNull();
            String bytes = new String(jar.getInputStream(replaced).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as("ByteBuddy's factory names the class it generates").doesNotContain("$ByteBuddy$ModuleSupport");
            assertThat(jar.getJarEntry(factory + "$ModuleAware.class")).as("the precompiled transformer").isNotNull();
        }
    }

    /** An allowed entry, or a directory on the way to one ({@code dev/}, {@code dev/nullspend/}). */
    private static boolean allowed(String name) {
        return ALLOWED_PREFIXES.stream().anyMatch(prefix -> name.startsWith(prefix) || (name.endsWith("/") && prefix.startsWith(name)));
    }
}
