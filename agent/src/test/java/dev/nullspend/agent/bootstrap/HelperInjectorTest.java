package dev.nullspend.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperInjectorTest {
    private static final List<String> HELPERS = List.of(First.class.getName(), Second.class.getName(),
            Third.class.getName());

    /** Three helpers; their bytes go into a small "agent jar". */
    static final class First {
    }

    static final class Second {
    }

    static final class Third {
    }

    /** A library's loader: defines what it is given, and says which classes it holds itself. */
    static final class LibraryLoader extends ClassLoader {
        LibraryLoader() {
            super(null);
        }

        Class<?> define(String name, byte[] b) {
            return defineClass(name, b, 0, b.length);
        }

        Class<?> loaded(String name) {
            return findLoadedClass(name);
        }
    }

    @TempDir
    Path dir;
    private JarFile jar;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void writeJarAndCaptureLog() throws IOException {
        Path file = dir.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (String helper : HELPERS) {
                out.putNextEntry(new JarEntry(resource(helper)));
                out.write(bytes(helper));
                out.closeEntry();
            }
        }
        jar = new JarFile(file.toFile());
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void closeJarAndRestoreLog() throws IOException {
        jar.close();
        AgentLog.setOutput(System.err);
    }

    private static HelperInjector injector(JarFile jar) {
        return new HelperInjector(null, jar, (loader, name, b) -> ((LibraryLoader) loader).define(name, b));
    }

    @Test
    void aHelperTheLoaderAlreadyHasDoesNotStopTheOnesAfterIt() {
        LibraryLoader library = new LibraryLoader();
        Class<?> own = library.define(Second.class.getName(), bytes(Second.class.getName())); // e.g. a racing injection

        assertThat(injector(jar).inject(library, null, HELPERS)).isTrue();

        assertThat(definedIn(library, First.class)).isTrue();
        assertThat(library.loaded(Second.class.getName())).isSameAs(own);
        assertThat(definedIn(library, Third.class)).as("the helper after the duplicate is defined too").isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aSecondInjectionOfTheSameHelpersIsANoOp() {
        LibraryLoader library = new LibraryLoader();
        HelperInjector injector = injector(jar);
        assertThat(injector.inject(library, null, HELPERS)).isTrue();
        Class<?> third = library.loaded(Third.class.getName());

        assertThat(injector.inject(library, null, HELPERS)).isTrue();

        assertThat(library.loaded(Third.class.getName())).isSameAs(third);
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aRealFailureIsReportedOncePerLoaderAndTheLibraryStaysUninstrumented() {
        List<String> withMissing = List.of(First.class.getName(), "com.example.NotInTheJar", Third.class.getName());
        LibraryLoader library = new LibraryLoader();
        LibraryLoader other = new LibraryLoader();
        HelperInjector injector = injector(jar);

        assertThat(injector.inject(library, null, withMissing)).isFalse();
        assertThat(injector.inject(library, null, withMissing)).isFalse();
        assertThat(injector.inject(other, null, withMissing)).isFalse();

        List<String> lines = log.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("cannot add helper classes")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(library.toString()).contains("that library stays uninstrumented");
        assertThat(lines.get(1)).contains(other.toString());
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("helper class com.example.NotInTheJar is missing");
    }

    @Test
    void theBootstrapLoaderNeverGetsHelpers() {
        assertThat(injector(jar).inject(null, null, HELPERS)).isFalse();
    }

    private static boolean definedIn(LibraryLoader library, Class<?> helper) {
        Class<?> c = library.loaded(helper.getName());
        return c != null && c != helper && c.getClassLoader() == library;
    }

    private static String resource(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static byte[] bytes(String className) {
        try (InputStream in = HelperInjectorTest.class.getClassLoader().getResourceAsStream(resource(className))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
