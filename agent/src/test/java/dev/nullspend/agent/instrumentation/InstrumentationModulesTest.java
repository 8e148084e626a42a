package dev.nullspend.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

/**
 * A client is one package: its module is found through the service file, names itself, and is
 * documented. Adding a module without its service entry or its docs rows fails here.
 */
class InstrumentationModulesTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void everyModuleClassIsDiscoveredOnceWithAWellFormedUniqueName() throws IOException {
        List<InstrumentationModule> modules = InstrumentationModules.discover();
        Set<String> discovered = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (InstrumentationModule m : modules) {
            assertThat(discovered.add(m.getClass().getName())).as("listed twice: %s", m.getClass()).isTrue();
            assertThat(m.name()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            assertThat(names.add(m.name())).as("name used twice: %s", m.name()).isTrue();
        }
        assertThat(discovered).isEqualTo(moduleClassesOnDisk());
        // Names users already switch by (nullspend.instrumentation.<name>.enabled) never change; a new
        // module adds its own without touching this test.
        assertThat(names).contains("java-http-client", "okhttp", "apache-httpclient-4", "apache-httpclient-5",
                "track-tool", "http-url-connection", "netty", "reactor-netty", "vertx", "socket-connect");
    }

    @Test
    void everyModuleHasAConfigurationRowAndASupportedRow() throws IOException {
        String configuration = Files.readString(DOCS.resolve("configuration.md"));
        String supported = Files.readString(DOCS.resolve("supported.md"));
        List<String> missing = new ArrayList<>();
        for (InstrumentationModule m : InstrumentationModules.discover()) {
            String row = "\n| `" + m.name() + "` |";
            if (!configuration.contains(row)) {
                missing.add("docs/configuration.md has no row for " + m.name());
            }
            if (!supported.contains(row)) {
                missing.add("docs/supported.md has no row for " + m.name());
            }
        }
        assertThat(missing).isEmpty();
    }

    /** Every concrete subclass of {@link InstrumentationModule} among the compiled classes. */
    private static Set<String> moduleClassesOnDisk() throws IOException {
        Path classes = Path.of("target", "classes");
        String superName = InstrumentationModule.class.getName().replace('.', '/');
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                ClassReader reader;
                try (InputStream in = Files.newInputStream(f)) {
                    reader = new ClassReader(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (superName.equals(reader.getSuperName())) {
                    out.add(reader.getClassName().replace('/', '.'));
                }
            }
        }
        return out;
    }
}
