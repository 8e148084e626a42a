package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.instrumentation.classloader.ClassLoaderInstrumentation;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The {@link Instrumentation} handed to ByteBuddy: identical to the JVM's, except that the
 * transformer ByteBuddy registers is plugged into the {@link ClassLoadGate} (already registered
 * in premain) instead of being added to the JVM. So a class whose loading waited at the gate
 * is transformed by ByteBuddy on that very load, and retransformations still reach ByteBuddy
 * through the gate.
 *
 * <p>Started with the JVM (premain), it also narrows what ByteBuddy's retransformation pass
 * looks at: every class that needs our code either loads after the gate is installed (and is
 * held there, then transformed on load) or is in {@link ClassLoadGate#mayNeedRetransformation}.
 * Describing the other thousands of loaded classes would cost ~150 ms of a program's start for
 * nothing. Attached to a running JVM, ByteBuddy sees every loaded class.
 */
final class GatedInstrumentation implements Instrumentation {
    private final Instrumentation jvm;
    private final ClassLoadGate gate;
    private final boolean premain;
    /** The JVM-registered transformer in {@link #loadersOnly} mode. */
    private LoaderNamesOnly loaderTransformer;

    GatedInstrumentation(Instrumentation jvm, ClassLoadGate gate, boolean premain) {
        this.jvm = jvm;
        this.gate = gate;
        this.premain = premain;
    }

    /**
     * For the class loader instrumentation, installed before the gated one: its transformer goes
     * straight to the JVM (a loader class must never wait at the gate, nor be held back from the
     * JVM's transformers), and its retransformation pass sees only loader classes.
     */
    static Instrumentation loadersOnly(Instrumentation jvm, boolean premain) {
        return new GatedInstrumentation(jvm, null, premain);
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
        if (gate == null) {
            loaderTransformer = new LoaderNamesOnly(transformer);
            jvm.addTransformer(loaderTransformer, true);
            return;
        }
        if (gate.delegate() != null) {
            throw new IllegalStateException("the gate already has a transformer");
        }
        gate.delegate(transformer);
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer) {
        addTransformer(transformer, false);
    }

    @Override
    public boolean removeTransformer(ClassFileTransformer transformer) {
        if (gate == null) {
            return loaderTransformer != null && loaderTransformer.delegate == transformer
                    && jvm.removeTransformer(loaderTransformer);
        }
        if (gate.delegate() == transformer) {
            gate.delegate(null);
            return true;
        }
        return false;
    }

    @Override
    public boolean isRetransformClassesSupported() {
        return jvm.isRetransformClassesSupported();
    }

    @Override
    public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
        jvm.retransformClasses(classes);
    }

    @Override
    public boolean isRedefineClassesSupported() {
        return jvm.isRedefineClassesSupported();
    }

    @Override
    public void redefineClasses(ClassDefinition... definitions) throws ClassNotFoundException, UnmodifiableClassException {
        jvm.redefineClasses(definitions);
    }

    @Override
    public boolean isModifiableClass(Class<?> theClass) {
        return jvm.isModifiableClass(theClass);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class[] getAllLoadedClasses() {
        Class[] all = jvm.getAllLoadedClasses();
        if (gate == null) {
            List<Class<?>> loaders = new ArrayList<>();
            for (Class<?> c : all) {
                if (isContainerLoader(c)) {
                    loaders.add(c);
                }
            }
            return loaders.toArray(new Class[0]);
        }
        if (!premain) {
            return all;
        }
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : all) {
            if (gate.mayNeedRetransformation(c.getName())) {
                candidates.add(c);
            } else if (gate.isUngated(c.getName())) {
                gate.defer(c); // after the gate opens: its retransformation never holds a waiting class
            }
        }
        gate.retransformedAtInstall(candidates);
        return candidates.toArray(new Class[0]);
    }

    /**
     * Hands ByteBuddy only the classes whose name contains {@code Loader} (the first test of
     * {@code ClassLoaderInstrumentation}): every other class load costs one string search here
     * instead of a pass through a second ByteBuddy transformer.
     */
    private static final class LoaderNamesOnly implements ClassFileTransformer {
        private final ClassFileTransformer delegate;

        LoaderNamesOnly(ClassFileTransformer delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
            if (!ClassLoaderInstrumentation.mayMatch(className)) {
                return null;
            }
            return delegate.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        }
    }

    /** A class loader type outside the JDK: ByteBuddy's matcher decides which of them it instruments (ClassLoaderInstrumentation). */
    private static boolean isContainerLoader(Class<?> c) {
        return ClassLoader.class.isAssignableFrom(c) && c.getClassLoader() != null
                && ClassLoaderInstrumentation.mayMatch(c.getName());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class[] getInitiatedClasses(ClassLoader loader) {
        return jvm.getInitiatedClasses(loader);
    }

    @Override
    public long getObjectSize(Object objectToSize) {
        return jvm.getObjectSize(objectToSize);
    }

    @Override
    public void appendToBootstrapClassLoaderSearch(JarFile jarfile) {
        jvm.appendToBootstrapClassLoaderSearch(jarfile);
    }

    @Override
    public void appendToSystemClassLoaderSearch(JarFile jarfile) {
        jvm.appendToSystemClassLoaderSearch(jarfile);
    }

    @Override
    public boolean isNativeMethodPrefixSupported() {
        return jvm.isNativeMethodPrefixSupported();
    }

    @Override
    public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
        jvm.setNativeMethodPrefix(transformer, prefix);
    }

    @Override
    public void redefineModule(Module module, Set<Module> extraReads, Map<String, Set<Module>> extraExports,
                               Map<String, Set<Module>> extraOpens, Set<Class<?>> extraUses,
                               Map<Class<?>, List<Class<?>>> extraProvides) {
        jvm.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
    }

    @Override
    public boolean isModifiableModule(Module module) {
        return jvm.isModifiableModule(module);
    }
}
