package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
