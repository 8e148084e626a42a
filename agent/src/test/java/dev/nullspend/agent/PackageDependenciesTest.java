package dev.nullspend.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap package starts everything, so nothing may depend back on it: a cycle would make
 * the instrumentations (and the core) unusable without the start-up code, as in unit tests. The
 * command line ({@code cli}) is reached from {@code NullSpendAgent.main} only, so the
 * {@code -javaagent} path never loads it.
 */
class PackageDependenciesTest {

    private static final String BOOTSTRAP = "dev/nullspend/agent/bootstrap/";
    private static final String CLI = "dev/nullspend/agent/cli/";
    private static final int CONSTANT_UTF8 = 1;

    @Test
    void onlyTheBootstrapPackageReferencesTheBootstrapPackage() throws IOException {
        assertThat(referencesTo(BOOTSTRAP, BOOTSTRAP)).isEmpty();
    }

    @Test
    void onlyMainReachesTheCommandLine() throws IOException {
        Set<String> offenders = referencesTo(CLI, CLI);
        assertThat(offenders).containsExactly("dev/nullspend/agent/NullSpendAgent -> dev/nullspend/agent/cli/Cli");
    }

    /**
     * Fleet mode's Redis client loads only when {@code nullspend.redis.url} is set: one class names
     * it, and only {@code Fleet.start} names that class, after checking the setting (docs/fleet.md).
     */
    @Test
    void onlyRedisFleetNamesTheRedisClient() throws IOException {
        assertThat(referencesTo("redis/clients/", "dev/nullspend/agent/fleet/RedisFleet"))
                .as("classes naming the Redis client").isEmpty();
        assertThat(referencesTo("dev/nullspend/agent/fleet/RedisFleet", "dev/nullspend/agent/fleet/"))
                .as("classes outside the fleet package naming RedisFleet").isEmpty();
    }

    /** {@code class -> constant} for every class outside {@code except} whose constants name {@code target}. */
    private static Set<String> referencesTo(String target, String except) throws IOException {
        Set<String> offenders = new TreeSet<>();
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                ClassReader reader;
                try (InputStream in = Files.newInputStream(f)) {
                    reader = new ClassReader(in);
                }
                if (reader.getClassName().startsWith(except)) {
                    continue;
                }
                // Every UTF-8 constant: class names, and the descriptors of fields and methods.
                byte[] bytes = Files.readAllBytes(f);
                for (int i = 1; i < reader.getItemCount(); i++) {
                    int offset = reader.getItem(i);
                    if (offset != 0 && reader.readByte(offset - 1) == CONSTANT_UTF8) {
                        String text = new String(bytes, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.ISO_8859_1);
                        if (text.contains(target)) {
                            offenders.add(reader.getClassName() + " -> " + text);
                        }
                    }
                }
            }
        }
        return offenders;
    }
}
