package dev.nullspend.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

/**
 * The code a program's first HTTP client waits for (premain, the {@code nullspend-init} thread
 * that installs the instrumentation, and the weaving of the first client class) uses no lambda or
 * method reference: the first of each shape spins a class through the lambda bootstrap, milliseconds
 * of interpreted code each while the program waits at the {@link ClassLoadGate} (docs/performance.md,
 * "Start-up"). Checked on the compiled classes of the packages that path runs.
 */
class StartupPathLambdasTest {

    private static final int CONSTANT_CLASS = 7;
    private static final String LAMBDAS = "java/lang/invoke/LambdaMetafactory";
    /**
     * A class of each package of the start-up path: every class in those packages is checked (the
     * other packages' code runs on other threads, or later).
     */
    private static final List<String> PACKAGES_OF = List.of("dev/nullspend/agent/bootstrap/AgentMain.class",
            "dev/nullspend/agent/instrumentation/AdviceFactory.class",
            "dev/nullspend/agent/instrumentation/classloader/ClassLoaderInstrumentation.class");

    @Test
    void theClassesOfTheStartUpPathUseNoLambdas() throws IOException, URISyntaxException {
        List<String> checked = new ArrayList<>();
        List<String> withLambdas = new ArrayList<>();
        for (String known : PACKAGES_OF) {
            String pkg = known.substring(0, known.lastIndexOf('/'));
            for (Path file : classFiles(known)) {
                String name = pkg + "/" + file.getFileName();
                checked.add(name);
                if (usesLambdas(Files.readAllBytes(file))) {
                    withLambdas.add(name);
                }
            }
        }
        checked.add("dev/nullspend/agent/NullSpendAgent.class");
        if (usesLambdas(Objects.requireNonNull(getClass().getClassLoader()
                .getResourceAsStream("dev/nullspend/agent/NullSpendAgent.class")).readAllBytes())) {
            withLambdas.add("dev/nullspend/agent/NullSpendAgent.class");
        }
        assertThat(checked).as("the start-up path's classes were found")
                .contains("dev/nullspend/agent/bootstrap/AgentInitializer.class",
                        "dev/nullspend/agent/bootstrap/HelperInjector.class",
                        "dev/nullspend/agent/instrumentation/AgentReferences.class",
                        "dev/nullspend/agent/instrumentation/AdviceFactory.class");
        assertThat(withLambdas).as("classes of the start-up path that use a lambda or method reference").isEmpty();
    }

    /** The compiled classes beside {@code known} (the main classes are a directory on the test class path). */
    private static List<Path> classFiles(String known) throws IOException, URISyntaxException {
        URL url = Objects.requireNonNull(StartupPathLambdasTest.class.getClassLoader().getResource(known), known);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()).getParent())) {
            files.filter(p -> p.getFileName().toString().endsWith(".class")).sorted().forEach(out::add);
        }
        return out;
    }

    private static boolean usesLambdas(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        char[] buf = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset != 0 && reader.readByte(offset - 1) == CONSTANT_CLASS && reader.readUTF8(offset, buf).equals(LAMBDAS)) {
                return true;
            }
        }
        return false;
    }
}
