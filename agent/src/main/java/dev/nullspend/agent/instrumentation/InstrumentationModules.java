package dev.nullspend.agent.instrumentation;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Finds the client instrumentations the agent ships: each module names itself in
 * {@code META-INF/services/dev.nullspend.agent.instrumentation.InstrumentationModule} (the
 * {@link java.util.ServiceLoader} format), so adding a client touches no central list. The order
 * of that file is the order of installation.
 *
 * <p>Not {@code ServiceLoader} itself: on the bootstrap class path, where the agent runs, it looks
 * for the file only on the class path given at JVM start, not in a jar appended by
 * {@code Instrumentation.appendToBootstrapClassLoaderSearch}, and the system loader's look-up would
 * open every jar of the program in premain. The agent jar's own entry is read instead.
 */
public final class InstrumentationModules {
    static final String SERVICE_FILE = "META-INF/services/" + InstrumentationModule.class.getName();

    private InstrumentationModules() {
    }

    /** Every module listed in {@code agentJar}'s service file. */
    public static List<InstrumentationModule> discover(File agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar, false)) {
            ZipEntry entry = jar.getEntry(SERVICE_FILE);
            if (entry == null) {
                throw new IOException(agentJar + " has no " + SERVICE_FILE);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return instantiate(in);
            }
        }
    }

    /** Every module listed in the service file beside this class (the agent's classes on a class path: tests). */
    public static List<InstrumentationModule> discover() throws IOException {
        try (InputStream in = InstrumentationModules.class.getResourceAsStream("/" + SERVICE_FILE)) {
            if (in == null) {
                throw new IOException("no " + SERVICE_FILE + " beside " + InstrumentationModules.class);
            }
            return instantiate(in);
        }
    }

    private static List<InstrumentationModule> instantiate(InputStream services) throws IOException {
        List<InstrumentationModule> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(services, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            int comment = line.indexOf('#');
            String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name, true, InstrumentationModule.class.getClassLoader());
                out.add((InstrumentationModule) type.getConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
                throw new IOException("cannot create the instrumentation module " + name + " (" + e + ")", e);
            }
        }
        return out;
    }
}
