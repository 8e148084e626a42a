package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
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

    /** An allowed entry, or a directory on the way to one ({@code dev/}, {@code dev/nullspend/}). */
    private static boolean allowed(String name) {
        return ALLOWED_PREFIXES.stream().anyMatch(prefix -> name.startsWith(prefix) || (name.endsWith("/") && prefix.startsWith(name)));
    }
}
