package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.instrumentation.tracktool.AnnotatedTypes;
import dev.nullspend.agent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only transformer the agent registers, installed in premain before any instrumentation
 * exists. ByteBuddy is built on a background thread (premain stays fast); until it is ready,
 * this gate holds back the loading of the few classes we instrument (by exact internal name, a
 * hash lookup), so none of them is defined uninstrumented and no LLM call slips through.
 * Every other class passes at once; classes loaded early are retransformed once ByteBuddy is
 * ready. When ready, it forwards every call to ByteBuddy's transformer.
 */
public final class ClassLoadGate implements ClassFileTransformer {
    private static final long MAX_WAIT_SECONDS = 15;

    private final Set<String> gatedInternalNames;
    /** Gated classes that loaded without waiting (on an agent thread, or after a timed-out wait). */
    private final Set<String> passedUnready = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassFileTransformer delegate;
    private volatile Thread initThread;

    public ClassLoadGate(Set<String> gatedInternalNames) {
        this.gatedInternalNames = gatedInternalNames;
    }

    /** The thread building the instrumentation never waits for itself. */
    void initThread(Thread t) {
        initThread = t;
    }

    void delegate(ClassFileTransformer t) {
        delegate = t;
    }

    ClassFileTransformer delegate() {
        return delegate;
    }

    /** Opens the gate (also after a failed start, so that nothing waits forever). */
    void open() {
        ready.countDown();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        boolean usesApi = loader != null && className != null && !className.startsWith("dev/nullspend/agent/")
                && AnnotatedTypes.usesApi(className, classfileBuffer);
        ClassFileTransformer d = delegate;
        if (d == null) {
            // Gated: the client classes we instrument, and program classes that use our API
            // (@TrackTool methods, the NullSpend facade) so that their first call is not missed.
            boolean gated = usesApi || (className != null && gatedInternalNames.contains(className));
            if (!gated) {
                return null;
            }
            if (isAgentThread() || !await(className)) {
                passedUnready.add(className);
                return null;
            }
            d = delegate;
            if (d == null) {
                return null;
            }
        }
        return d.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
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

    /** The agent's own threads never wait at the gate: they are what opens it. */
    private boolean isAgentThread() {
        Thread t = Thread.currentThread();
        return t == initThread || t.getName().startsWith("nullspend-");
    }

    private boolean await(String className) {
        try {
            if (ready.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            AgentLog.warn("instrumentation not ready after " + MAX_WAIT_SECONDS + "s; " + className.replace('/', '.')
                    + " loads without it until it is retransformed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
