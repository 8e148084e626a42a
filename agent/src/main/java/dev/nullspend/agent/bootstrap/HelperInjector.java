package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.instrumentation.HelperDefiner;
import dev.nullspend.agent.log.AgentLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines an instrumentation's helper classes (those that implement a library's interfaces,
 * such as a JDK {@code BodySubscriber} or an OkHttp {@code Interceptor}) inside the class loader
 * of the library they serve, once per loader. The bootstrap loader cannot see those libraries,
 * so these classes can live nowhere else; their bytes come straight from the agent jar.
 */
public final class HelperInjector implements HelperDefiner {
    private final Instrumentation inst;
    private final JarFile jar;
    private final Map<String, byte[]> bytecode = new ConcurrentHashMap<>();
    private final Map<ClassLoader, Set<String>> injected = new WeakHashMap<>();
    private final Definer definer;

    /** Defines one class in a loader; the JVM's {@link LinkageError} when that loader already has it. */
    @FunctionalInterface
    interface Definer {
        void define(ClassLoader loader, String name, byte[] bytes) throws Throwable;
    }

    HelperInjector(Instrumentation inst, JarFile jar) throws ReflectiveOperationException {
        this(inst, jar, reflectiveDefiner(inst));
    }

    HelperInjector(Instrumentation inst, JarFile jar, Definer definer) {
        this.inst = inst;
        this.jar = jar;
        this.definer = definer;
    }

    private static Definer reflectiveDefiner(Instrumentation inst) throws ReflectiveOperationException {
        // ClassLoader.defineClass is protected: open java.lang to the agent's own module to reach it.
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(HelperInjector.class.getModule())),
                Set.of(), Map.of());
        Method defineClass = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class, int.class,
                int.class, ProtectionDomain.class);
        defineClass.setAccessible(true);
        return new ReflectiveDefiner(defineClass);
    }

    /**
     * {@code ClassLoader.defineClass} by reflection. A class, not a lambda: it is made on the
     * thread a program's first HTTP client waits for, where a lambda's bootstrap costs milliseconds.
     */
    private static final class ReflectiveDefiner implements Definer {
        private final Method defineClass;

        ReflectiveDefiner(Method defineClass) {
            this.defineClass = defineClass;
        }

        @Override
        public void define(ClassLoader loader, String name, byte[] b) throws Throwable {
            try {
                defineClass.invoke(loader, name, b, 0, b.length, null);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Makes sure {@code helpers} (binary names, supertypes before subtypes) are defined in
     * {@code loader}, and that {@code targetModule} can read them. Returns false, after logging
     * once, when they cannot be: the caller must then leave that library uninstrumented.
     */
    public boolean inject(ClassLoader loader, Module targetModule, List<String> helpers) {
        Throwable failure = tryInject(loader, targetModule, helpers);
        if (failure != null && loader != null) {
            AgentLog.warnOnce("inject:" + System.identityHashCode(loader) + ":" + helpers.get(0), "cannot add helper classes"
                    + " to " + loader + "; that library stays uninstrumented", failure);
        }
        return failure == null;
    }

    @Override
    public synchronized Throwable tryInject(ClassLoader loader, Module targetModule, List<String> helpers) {
        if (loader == null) {
            return new IllegalArgumentException("the bootstrap class loader cannot hold helper classes");
        }
        Set<String> done = injected.get(loader);
        if (done == null) { // no computeIfAbsent: its lambda would run while a program's first client waits
            done = ConcurrentHashMap.newKeySet();
            injected.put(loader, done);
        }
        try {
            for (String name : helpers) {
                if (done.contains(name)) {
                    continue;
                }
                byte[] b = bytes(name);
                try {
                    definer.define(loader, name, b);
                } catch (LinkageError e) {
                    // Already in that loader (another agent instance, or the loader defined it
                    // itself): it is there, so go on with the next helper instead of stopping here.
                    if (!isDuplicate(e)) {
                        throw e;
                    }
                }
                done.add(name);
            }
            if (targetModule != null && targetModule.isNamed() && !targetModule.canRead(loader.getUnnamedModule())) {
                inst.redefineModule(targetModule, Set.of(loader.getUnnamedModule()), Map.of(), Map.of(), Set.of(), Map.of());
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The JVM's message for a class name defined twice in one loader ("attempted duplicate class definition"). */
    private static boolean isDuplicate(LinkageError e) {
        return e.getMessage() != null && e.getMessage().contains("duplicate");
    }

    private byte[] bytes(String className) throws IOException {
        byte[] cached = bytecode.get(className);
        if (cached != null) {
            return cached;
        }
        JarEntry e = jar.getJarEntry(className.replace('.', '/') + ".class");
        if (e == null) {
            throw new IOException("helper class " + className + " is missing from the agent jar");
        }
        try (InputStream in = jar.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            byte[] b = out.toByteArray();
            bytecode.put(className, b);
            return b;
        }
    }
}
