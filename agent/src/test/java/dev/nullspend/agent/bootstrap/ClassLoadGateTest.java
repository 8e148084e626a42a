package dev.nullspend.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ClassLoadGateTest {
    private static final byte[] PLAIN = "plain class bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USES_API = "...Ldev/nullspend/api/TrackTool;...".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFORMED = {1, 2, 3};
    private static final ClassLoader LOADER = ClassLoadGateTest.class.getClassLoader();

    /** Records what reaches it and answers with fixed bytes. */
    private static final class RecordingTransformer implements ClassFileTransformer {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] bytes) {
            seen.add(className);
            return TRANSFORMED;
        }
    }

    private static byte[] load(ClassLoadGate gate, String name, byte[] bytes) throws Exception {
        return gate.transform(null, LOADER, name, null, null, bytes);
    }

    @Test
    void beforeReadyOtherClassesPassAtOnceUntouched() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"));
        assertThat(load(gate, "com/example/Main", PLAIN)).isNull();
    }

    @Test
    void aGatedClassWaitsForTheInstrumentationAndIsTransformedOnThatVeryLoad() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"));
        RecordingTransformer byteBuddy = new RecordingTransformer();
        AtomicReference<byte[]> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread loader = new Thread(() -> {
            try {
                result.set(load(gate, "jdk/internal/net/http/HttpClientImpl", PLAIN));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            done.countDown();
        }, "program-main");
        loader.start();

        assertThat(done.await(200, TimeUnit.MILLISECONDS)).as("still waiting at the gate").isFalse();
        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isEqualTo(TRANSFORMED);
        assertThat(byteBuddy.seen).containsExactly("jdk/internal/net/http/HttpClientImpl");
    }

    @Test
    void programClassesThatUseTheApiWaitToo() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of());
        RecordingTransformer byteBuddy = new RecordingTransformer();
        CountDownLatch done = new CountDownLatch(1);
        Thread loader = new Thread(() -> {
            try {
                load(gate, "com/example/Tools", USES_API);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            done.countDown();
        }, "program-main");
        loader.start();
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).isFalse();
        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(byteBuddy.seen).containsExactly("com/example/Tools");
    }

    /** Loads {@code name} on a program thread; the latch opens when the load returned. */
    private static CountDownLatch loadOnProgramThread(ClassLoadGate gate, String name, byte[] bytes,
                                                      AtomicReference<byte[]> result) {
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                result.set(load(gate, name, bytes));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            done.countDown();
        }, "program-main");
        t.start();
        return done;
    }

    @Test
    void theClientClassWaitsForTheInstrumentationOnlyNeverForTheCore() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"),
                System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
        RecordingTransformer byteBuddy = new RecordingTransformer();
        AtomicReference<byte[]> result = new AtomicReference<>();
        CountDownLatch done = loadOnProgramThread(gate, "jdk/internal/net/http/HttpClientImpl", PLAIN, result);

        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open(); // the core is not ready, and never says so here

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isEqualTo(TRANSFORMED);
    }

    @Test
    void aClassThatUsesTheApiWaitsForTheCoreTooSoThatTheFacadeWorksFromItsFirstUse() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(), System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
        RecordingTransformer byteBuddy = new RecordingTransformer();
        AtomicReference<byte[]> result = new AtomicReference<>();
        CountDownLatch done = loadOnProgramThread(gate, "com/example/Tools", USES_API, result);
        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open();
        assertThat(done.await(200, TimeUnit.MILLISECONDS)).as("still waiting for the core").isFalse();

        gate.coreSettled();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isEqualTo(TRANSFORMED);
    }

    @Test
    void theAgentsOwnThreadsNeverWait() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"));
        AtomicReference<byte[]> result = new AtomicReference<>(TRANSFORMED);
        Thread agentThread = new Thread(() -> {
            try {
                result.set(load(gate, "jdk/internal/net/http/HttpClientImpl", PLAIN));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "nullspend-reporter");
        agentThread.start();
        agentThread.join(2_000);
        assertThat(agentThread.isAlive()).isFalse();
        assertThat(result.get()).isNull();
    }

    @Test
    void afterReadyEveryClassGoesToTheInstrumentation() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of());
        RecordingTransformer byteBuddy = new RecordingTransformer();
        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open();
        assertThat(load(gate, "com/example/Main", PLAIN)).isEqualTo(TRANSFORMED);
        assertThat(byteBuddy.seen).containsExactly("com/example/Main");
    }

    @Test
    void aFailedStartOpensTheGateWithNothingBehindIt() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"));
        gate.open();
        assertThat(load(gate, "jdk/internal/net/http/HttpClientImpl", PLAIN)).isNull();
    }

    @Test
    void onlyGatedNamesAndClassesThatSlippedPastTheGateAreRetransformationCandidates() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of("jdk/internal/net/http/HttpClientImpl"));
        Thread agentThread = new Thread(() -> {
            try {
                load(gate, "com/example/UsesApi", USES_API); // an agent thread never waits
                load(gate, "com/example/Plain", PLAIN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "nullspend-init-core");
        agentThread.start();
        agentThread.join();

        assertThat(gate.mayNeedRetransformation("jdk.internal.net.http.HttpClientImpl")).isTrue();
        assertThat(gate.mayNeedRetransformation("com.example.UsesApi")).isTrue();
        assertThat(gate.mayNeedRetransformation("com.example.Plain")).isFalse();
        assertThat(gate.mayNeedRetransformation("java.lang.String")).isFalse();
    }

    @Test
    void anUngatedClassLoadsAtOnceOnAProgramThreadAndIsRetransformedOnceTheInstrumentationIsReady() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(), Set.of(EARLY), System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
        assertThat(load(gate, EARLY, PLAIN)).as("no wait, untransformed").isNull(); // on the test's (program) thread

        // Not in ByteBuddy's pass at install, which runs while gated classes wait: deferred until the gate is open.
        assertThat(gate.mayNeedRetransformation(EARLY.replace('/', '.'))).isFalse();
        List<Class<?>> retransformed = new CopyOnWriteArrayList<>();
        Instrumentation jvm = recordingJvm(retransformed, String.class, EarlyClient.class, OtherEarlyClient.class);
        assertThat(new GatedInstrumentation(jvm, gate, true).getAllLoadedClasses()).isEmpty();
        RecordingTransformer byteBuddy = new RecordingTransformer();
        new GatedInstrumentationProbe(gate).install(byteBuddy);
        gate.open();
        assertThat(gate.retransformLate(jvm)).as("once, though both loaded and seen at the gate").isEqualTo(1);
        assertThat(retransformed).containsExactly(EarlyClient.class);
        assertThat(load(gate, EARLY, PLAIN)).as("once installed, transformed on load").isEqualTo(TRANSFORMED);
    }

    @Test
    void atStartUpByteBuddySeesOnlyTheCandidatesWhenAttachedEveryLoadedClass() {
        ClassLoadGate gate = new ClassLoadGate(Set.of("java/util/ArrayList"));
        Class<?>[] loaded = {String.class, java.util.ArrayList.class, ClassLoadGateTest.class};
        Instrumentation jvm = (Instrumentation) Proxy.newProxyInstance(LOADER, new Class<?>[] {Instrumentation.class},
                (proxy, method, args) -> method.getName().equals("getAllLoadedClasses") ? loaded.clone() : null);

        assertThat(new GatedInstrumentation(jvm, gate, true).getAllLoadedClasses())
                .containsExactly(java.util.ArrayList.class);
        assertThat(new GatedInstrumentation(jvm, gate, false).getAllLoadedClasses()).containsExactly(loaded);
    }

    /** A class of the test's loader that a "program" loads before the instrumentation exists. */
    static final class EarlyClient {
    }

    static final class OtherEarlyClient {
    }

    private static final String EARLY = "dev/nullspend/agent/bootstrap/ClassLoadGateTest$EarlyClient";
    private static final String OTHER_EARLY = "dev/nullspend/agent/bootstrap/ClassLoadGateTest$OtherEarlyClient";

    /** An Instrumentation that records the classes it is asked to retransform and lists {@code loaded}. */
    private static Instrumentation recordingJvm(List<Class<?>> retransformed, Class<?>... loaded) {
        return (Instrumentation) Proxy.newProxyInstance(LOADER, new Class<?>[] {Instrumentation.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "retransformClasses" -> {
                            for (Object c : (Object[]) args[0]) {
                                retransformed.add((Class<?>) c);
                            }
                            return null;
                        }
                        case "getAllLoadedClasses" -> {
                            return loaded.clone();
                        }
                        default -> {
                            return null;
                        }
                    }
                });
    }

    /** Loads {@code name} through the gate on a thread of the agent's, which never waits: the class passes untransformed. */
    private static byte[] loadOnAgentThread(ClassLoadGate gate, String name) throws Exception {
        AtomicReference<byte[]> result = new AtomicReference<>(TRANSFORMED);
        Thread t = new Thread(() -> {
            try {
                result.set(load(gate, name, PLAIN));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "nullspend-init-core");
        t.start();
        t.join();
        return result.get();
    }

    @Test
    void aGatedClassThatLoadedWithoutTheInstrumentationIsRetransformedOnceItIsInstalled() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(EARLY));
        assertThat(loadOnAgentThread(gate, EARLY)).as("no instrumentation yet: defined as it is").isNull();
        List<Class<?>> retransformed = new CopyOnWriteArrayList<>();
        Instrumentation jvm = recordingJvm(retransformed);

        new GatedInstrumentationProbe(gate).install(new RecordingTransformer());
        gate.open();

        assertThat(gate.retransformLate(jvm)).isEqualTo(1);
        assertThat(retransformed).containsExactly(EarlyClient.class);
        assertThat(gate.retransformLate(jvm)).as("once").isZero();
        assertThat(retransformed).containsExactly(EarlyClient.class);
    }

    @Test
    void aClassByteBuddysPassAtInstallSawIsNotRetransformedASecondTime() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(EARLY, OTHER_EARLY));
        loadOnAgentThread(gate, EARLY);
        loadOnAgentThread(gate, OTHER_EARLY);
        List<Class<?>> retransformed = new CopyOnWriteArrayList<>();
        // ByteBuddy's pass lists the loaded classes through GatedInstrumentation: it saw EarlyClient only.
        Class<?>[] atInstall = new GatedInstrumentation(recordingJvm(retransformed, EarlyClient.class, String.class),
                gate, true).getAllLoadedClasses();
        assertThat(atInstall).containsExactly(EarlyClient.class);
        new GatedInstrumentationProbe(gate).install(new RecordingTransformer());
        gate.open();

        assertThat(gate.retransformLate(recordingJvm(retransformed))).isEqualTo(1);
        assertThat(retransformed).containsExactly(OtherEarlyClient.class);
    }

    @Test
    void onceTheInstrumentationIsInstalledNothingIsLetThroughUntransformed() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(EARLY));
        RecordingTransformer byteBuddy = new RecordingTransformer();
        new GatedInstrumentationProbe(gate).install(byteBuddy); // installed, the gate not opened yet

        assertThat(loadOnAgentThread(gate, EARLY)).isEqualTo(TRANSFORMED);
        assertThat(byteBuddy.seen).containsExactly(EARLY);
        assertThat(gate.retransformLate(recordingJvm(new CopyOnWriteArrayList<>()))).isZero();
    }

    @Test
    void afterAFailedStartClassesAreNotRemembered() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(Set.of(EARLY));
        gate.open();
        assertThat(loadOnAgentThread(gate, EARLY)).isNull();
        List<Class<?>> retransformed = new CopyOnWriteArrayList<>();
        assertThat(gate.retransformLate(recordingJvm(retransformed))).isZero();
        assertThat(retransformed).isEmpty();
    }

    /** Plugs a transformer in the way ByteBuddy does: through {@link GatedInstrumentation#addTransformer}. */
    private static final class GatedInstrumentationProbe {
        private final ClassLoadGate gate;

        GatedInstrumentationProbe(ClassLoadGate gate) {
            this.gate = gate;
        }

        void install(ClassFileTransformer t) {
            new GatedInstrumentation(null, gate, true).addTransformer(t, true);
        }
    }
}
