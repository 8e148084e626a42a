package dev.nullspend.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.instrumentation.InstrumentationModules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

/**
 * Helper classes live twice: injected into the library's class loader, and in the agent jar on the
 * bootstrap class path. Whatever a helper reaches by name from its own package must therefore be a
 * helper too (else it resolves to the bootstrap copy, which cannot see the library), and a helper
 * must not use lambdas or method references (the JDK links those against the bootstrap copy:
 * {@code NoClassDefFoundError} at the first call). Checked on the compiled classes of every module.
 */
class HelperClassesTest {

    private static final int CONSTANT_CLASS = 7;
    /** The bootstrap of every lambda and method reference (string concatenation uses another one, and is fine). */
    private static final String LAMBDAS = "java/lang/invoke/LambdaMetafactory";

    @Test
    void helpersReachOnlyHelpersInTheirPackageAndUseNoLambdas() throws IOException {
        List<String> problems = new ArrayList<>();
        for (InstrumentationModule module : InstrumentationModules.discover()) {
            Set<String> helpers = new HashSet<>();
            for (String helper : module.helperClassNames()) {
                helpers.add(helper.replace('.', '/'));
            }
            for (String helper : module.helperClassNames()) {
                String internal = helper.replace('.', '/');
                String pkg = internal.substring(0, internal.lastIndexOf('/') + 1);
                ClassReader reader = new ClassReader(bytes(internal));
                char[] buf = new char[reader.getMaxStringLength()];
                for (int i = 1; i < reader.getItemCount(); i++) {
                    int offset = reader.getItem(i);
                    if (offset == 0) {
                        continue; // the unused slot after a long or double
                    }
                    if (reader.readByte(offset - 1) != CONSTANT_CLASS) {
                        continue;
                    }
                    String used = reader.readUTF8(offset, buf);
                    if (used.equals(LAMBDAS)) {
                        problems.add(helper + " uses a lambda or method reference");
                    } else if (used.startsWith(pkg) && used.indexOf('/', pkg.length()) < 0 && !helpers.contains(used)) {
                        problems.add(helper + " uses " + used + ", which is not a helper of " + module.name());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void helpersComeAfterTheirSupertypes() throws IOException {
        for (InstrumentationModule module : InstrumentationModules.discover()) {
            Set<String> defined = new HashSet<>();
            for (String helper : module.helperClassNames()) {
                String internal = helper.replace('.', '/');
                ClassReader reader = new ClassReader(bytes(internal));
                List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
                supertypes.add(reader.getSuperName());
                for (String supertype : supertypes) {
                    if (module.helperClassNames().contains(supertype.replace('/', '.'))) {
                        assertThat(defined).as("%s is listed after its supertype %s", helper, supertype).contains(supertype);
                    }
                }
                defined.add(internal);
            }
        }
    }

    private static byte[] bytes(String internalName) {
        try (InputStream in = HelperClassesTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return Objects.requireNonNull(in, internalName).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
