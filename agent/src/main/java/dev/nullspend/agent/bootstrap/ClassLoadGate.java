package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.instrumentation.tracktool.AnnotatedTypes;
import dev.nullspend.agent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer the agent registers, installed in premain before any instrumentation
 * exists. ByteBuddy is built on a background thread (premain stays fast); until it is ready,
 * this gate holds back the loading of the few classes we instrument (by exact internal name, a
 * hash lookup), so none of them is defined uninstrumented and no LLM call slips through.
 * Program classes that use our API (the facade, {@code @TrackTool}) wait for the core runtime
 * too, as an LLM call does (until {@code nullspend.startup.wait-ms}), so that the facade works
 * from their first use. Every other class passes at once. When ready, it forwards every call to
 * ByteBuddy's transformer.
 *
 * <p>The wait is bounded, a guard against a start that never ends: until 15 s after the agent's
 * start, or {@code nullspend.startup.wait-ms} when longer (that key is how long calls wait for
 * the core; the instrumentation does not wait for the core, and takes well under a second on an
 * idle machine). A gated class that loads without the instrumentation (after that wait, or on
 * one of the agent's own threads) is remembered and retransformed once the instrumentation is
 * installed ({@link #retransformLate}): nothing stays uninstrumented.
 */
public final class ClassLoadGate implements ClassFileTransformer {
    static final long MIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Set<String> gatedInternalNames;
    /** Instrumented classes that never wait (JDK sockets): retransformed once the instrumentation is ready. */
    private final Set<String> ungatedInternalNames;
    private final long startNanos;
    private final long deadlineNanos;
    private final long callDeadlineNanos;
    /** Gated classes that loaded without waiting (on an agent thread, or after a timed-out wait). */
    private final Set<String> passedUnready = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch coreReady = new CountDownLatch(1);
    /** Orders "let a class through untransformed" against "the instrumentation is installed". */
    private final Object lock = new Object();
    /** The classes let through untransformed, until {@link #retransformLate}; guarded by {@link #lock}. */
    private final List<Late> late = new ArrayList<>();
    /** True once the instrumentation is installed or known never to come; guarded by {@link #lock}. */
    private boolean settled;
    /** The classes ByteBuddy's own retransformation pass was given: they need no second one. */
    private final Set<Class<?>> retransformedAtInstall = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Ungated classes already loaded at install: retransformed after the gate opens, never holding it; guarded by {@link #lock}. */
    private final List<Class<?>> deferred = new ArrayList<>();
    private volatile ClassFileTransformer delegate;
    private volatile Thread initThread;

    /** A class defined without our transformation, by its defining loader ({@code null}: bootstrap). */
    private record Late(WeakReference<ClassLoader> loader, boolean bootstrap, String binaryName) {
    }

    public ClassLoadGate(Set<String> gatedInternalNames) {
        this(gatedInternalNames, System.nanoTime());
    }

    /**
     * @param callDeadlineNanos {@link System#nanoTime()} until which calls wait for the core; gated
     *                          classes wait until then too, and at least {@link #MIN_WAIT_NANOS} from now
     */
    public ClassLoadGate(Set<String> gatedInternalNames, long callDeadlineNanos) {
        this(gatedInternalNames, Set.of(), callDeadlineNanos);
    }

    /**
     * @param ungatedInternalNames classes the instrumentation transforms that load at once, never
     *                             held back: those loaded before it is ready are retransformed then
     */
    public ClassLoadGate(Set<String> gatedInternalNames, Set<String> ungatedInternalNames, long callDeadlineNanos) {
        this.gatedInternalNames = gatedInternalNames;
        this.ungatedInternalNames = ungatedInternalNames;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = Math.max(callDeadlineNanos, startNanos + MIN_WAIT_NANOS);
        this.callDeadlineNanos = callDeadlineNanos;
    }

    /** The thread building the instrumentation never waits for itself. */
    void initThread(Thread t) {
        initThread = t;
    }

    void delegate(ClassFileTransformer t) {
        synchronized (lock) {
            delegate = t;
            if (t != null) {
                settled = true;
            }
        }
    }

    ClassFileTransformer delegate() {
        return delegate;
    }

    /** The core runtime is installed, or failed: classes that use our API wait no longer. */
    void coreSettled() {
        coreReady.countDown();
    }

    /** Opens the gate (also after a failed start, so that nothing waits forever). */
    void open() {
        synchronized (lock) {
            settled = true;
        }
        ready.countDown();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        // Every class, ready or not: TrackToolInstrumentation matches the classes this marks.
        boolean usesApi = loader != null && className != null && !className.startsWith("dev/nullspend/agent/")
                && AnnotatedTypes.usesApi(className, classfileBuffer);
        ClassFileTransformer d = delegate;
        if (d == null || (usesApi && coreReady.getCount() > 0)) {
            // Gated: the client classes we instrument, and program classes that use our API
            // (@TrackTool methods, the NullSpend facade) so that their first call is not missed.
            boolean gated = usesApi || (className != null && gatedInternalNames.contains(className));
            if (!gated && (className == null || !ungatedInternalNames.contains(className))) {
                return null;
            }
            // An ungated class loads at once: remembered for retransformLate unless installed meanwhile.
            if (gated && !isAgentThread()) {
                if (d == null) {
                    await(className);
                }
                if (usesApi) {
                    awaitCore(); // the facade works, and @TrackTool calls are costed, from the class's first use
                }
            }
            d = passUnlessInstalled(loader, className, classBeingRedefined, gated);
            if (d == null) {
                return null;
            }
        }
        return d.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    /**
     * The instrumentation, or null after remembering the class for {@link #retransformLate}.
     * Under the lock that {@link #delegate(ClassFileTransformer)} takes: either this sees the
     * instrumentation, or the class is on the list before the installer takes it.
     */
    private ClassFileTransformer passUnlessInstalled(ClassLoader loader, String className, Class<?> redefined,
                                                     boolean gated) {
        synchronized (lock) {
            if (delegate != null) {
                return delegate;
            }
            if (!settled && redefined == null) {
                if (gated) {
                    passedUnready.add(className); // ByteBuddy's pass at install takes it
                }
                late.add(new Late(new WeakReference<>(loader), loader == null, className.replace('/', '.')));
            }
            return null;
        }
    }

    /**
     * True when a class of this binary name may have been defined without our transformation:
     * it is one of the gated names, or a gated class that loaded while the gate was not ready.
     * Only such classes need a retransformation once ByteBuddy is installed at start-up.
     */
    boolean mayNeedRetransformation(String binaryName) {
        String internal = binaryName.replace('.', '/');
        return gatedInternalNames.contains(internal) || passedUnready.contains(internal);
    }

    /**
     * True for an ungated class ({@code socket-connect}'s JDK sockets): when already loaded at
     * install it is {@link #defer deferred}, not retransformed by ByteBuddy's pass, which runs
     * while gated classes wait.
     */
    boolean isUngated(String binaryName) {
        return ungatedInternalNames.contains(binaryName.replace('.', '/'));
    }

    /** An ungated class loaded before the instrumentation: {@link #retransformLate} retransforms it once the gate is open. */
    void defer(Class<?> loaded) {
        synchronized (lock) {
            deferred.add(loaded);
        }
    }

    /** The classes ByteBuddy's retransformation pass at install is given ({@link GatedInstrumentation}). */
    void retransformedAtInstall(List<Class<?>> classes) {
        synchronized (lock) {
            retransformedAtInstall.addAll(classes);
        }
    }

    /**
     * Once the instrumentation is installed and the gate open: retransforms the gated classes that
     * were let through without it and that ByteBuddy's pass at install did not see (a class still
     * being defined then), and the ungated classes loaded before it ({@link #defer}). {@link Class#forName} waits for a definition still under way (it takes the same
     * class loading lock), so none is missed. Returns how many were retransformed.
     */
    int retransformLate(Instrumentation inst) {
        List<Late> pending;
        List<Class<?>> loadedBefore;
        Set<Class<?>> seen;
        synchronized (lock) {
            pending = List.copyOf(late);
            late.clear();
            loadedBefore = List.copyOf(deferred);
            deferred.clear();
            seen = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.addAll(retransformedAtInstall);
            retransformedAtInstall.clear();
        }
        int done = 0;
        for (Class<?> c : loadedBefore) {
            if (seen.add(c)) {
                done += retransform(inst, c, c.getName());
            }
        }
        for (Late l : pending) {
            ClassLoader loader = l.loader().get();
            if (loader == null && !l.bootstrap()) {
                continue; // the loader is gone, and its classes with it
            }
            try {
                Class<?> c = Class.forName(l.binaryName(), false, loader);
                if (c.getClassLoader() != loader || !seen.add(c)) {
                    continue;
                }
                done += retransform(inst, c, l.binaryName());
            } catch (Throwable t) {
                failedLate(l.binaryName(), t);
            }
        }
        return done;
    }

    /** 1 when {@code c} was retransformed, 0 after logging why not. */
    private static int retransform(Instrumentation inst, Class<?> c, String binaryName) {
        try {
            inst.retransformClasses(c);
            AgentLog.debug("instrumented " + binaryName + " late (it loaded before the instrumentation was ready)");
            return 1;
        } catch (Throwable t) {
            failedLate(binaryName, t);
            return 0;
        }
    }

    private static void failedLate(String binaryName, Throwable t) {
        AgentLog.warnOnce("late:" + binaryName, "could not instrument " + binaryName
                + ", which loaded before the instrumentation was ready; it runs untracked", t);
    }

    /** The agent's own threads never wait at the gate: they are what opens it. */
    private boolean isAgentThread() {
        Thread t = Thread.currentThread();
        return t == initThread || t.getName().startsWith("nullspend-");
    }

    /** As an LLM call does: until the core is ready, at most until {@code nullspend.startup.wait-ms} after the start. */
    private void awaitCore() {
        try {
            long left = callDeadlineNanos - System.nanoTime();
            if (left > 0) {
                coreReady.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(String className) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0 && ready.await(left, TimeUnit.NANOSECONDS)) {
                return;
            }
            if (delegate == null) {
                AgentLog.warnOnce("gate:" + className, "instrumentation not ready " + TimeUnit.NANOSECONDS.toSeconds(
                        deadlineNanos - startNanos) + "s after the agent's start; "
                        + className.replace('/', '.') + " loads without it and is instrumented once it is ready"
                        + " (calls made through it until then are not seen)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
