package dev.nullspend.agent.spi;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Finds the agent's own plug-ins (client instrumentations, provider families): each names its
 * class in {@code META-INF/services/<interface>}, the {@link java.util.ServiceLoader} format, so
 * adding one touches no central list. The order of a file is the order of use.
 *
 * <p>Not {@code ServiceLoader} itself: on the bootstrap class path, where the agent runs, it looks
 * only on the class path given at JVM start, not in a jar appended by
 * {@code Instrumentation.appendToBootstrapClassLoaderSearch}, and the system loader's look-up would
 * open every jar of the program in premain. The agent jar's own entry is read instead; without an
 * agent jar (unit tests), the service file beside the classes.
 */
public final class Services {
    private static volatile File agentJar;

    private Services() {
    }

    /** Called once at start-up with the jar the agent runs from. */
    public static void agentJar(File jar) {
        agentJar = jar;
    }

    /** One instance of every class listed for {@code type}, in the file's order. */
    public static <T> List<T> load(Class<T> type) throws IOException {
        String file = "META-INF/services/" + type.getName();
        File jarFile = agentJar;
        if (jarFile != null) {
            try (JarFile jar = new JarFile(jarFile, false)) {
                ZipEntry entry = jar.getEntry(file);
                if (entry == null) {
                    throw new IOException(jarFile + " has no " + file);
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return instantiate(type, in);
                }
            }
        }
        try (InputStream in = type.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new IOException("no " + file + " beside " + type);
            }
            return instantiate(type, in);
        }
    }

    private static <T> List<T> instantiate(Class<T> type, InputStream services) throws IOException {
        List<T> out = new ArrayList<>();
        // Class names are ASCII; no Reader (premain loads as few classes as it can).
        String text = new String(services.readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                Class<?> impl = Class.forName(name, true, type.getClassLoader());
                out.add(type.cast(impl.getConstructor().newInstance()));
            } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                throw new IOException("cannot create " + name + " (" + e + ")", e);
            }
        }
        return out;
    }
}
