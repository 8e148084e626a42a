package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentVersion;
import dev.nullspend.agent.core.AgentRuntime;
import dev.nullspend.agent.core.AgentStartup;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.unseen.ClientStacks;
import dev.nullspend.agent.unseen.LlmConnections;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The slow half of start-up, on the {@code nullspend-init} daemon thread. The core (prices,
 * ledger restore, reporter) starts on a thread of its own while ByteBuddy is installed here;
 * the gate opens as soon as the instrumentation is installed, whatever the core is doing, so no
 * class stays uninstrumented behind a slow core. A call that comes before the core is ready is
 * {@link AgentStartup}'s to handle. Any failure leaves the program running untouched.
 */
final class AgentInitializer implements Runnable {
    private final AgentConfig config;
    private final Instrumentation inst;
    private final File jar;
    private final ClassLoadGate gate;
    private final List<InstrumentationModule> modules;
    private final boolean premain;
    private final AgentStartup startup;
    private final StartupClock clock;
    /** Counted down when {@link #run()} ends, however it ends; {@link #running} is then final. */
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;

    AgentInitializer(AgentConfig config, Instrumentation inst, File jar, ClassLoadGate gate,
                     List<InstrumentationModule> modules, boolean premain, AgentStartup startup, StartupClock clock) {
        this.config = config;
        this.inst = inst;
        this.jar = jar;
        this.gate = gate;
        this.modules = modules;
        this.premain = premain;
        this.startup = startup;
        this.clock = clock;
    }

    /**
     * For an attach: waits at most {@code millis} for the start to end; true when the agent then
     * runs (instrumentation installed, core started). Logs once when the start is still under way.
     */
    boolean awaitRunning(long millis) {
        try {
            if (!finished.await(millis, TimeUnit.MILLISECONDS)) {
                AgentLog.warn("the agent is still starting " + millis / 1000 + " s after the attach; the program's calls"
                        + " are costed once it has started");
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running;
    }

    @Override
    public void run() {
        try {
            start();
        } finally {
            finished.countDown();
        }
    }

    private void start() {
        long start = System.nanoTime();
        // Registered first: the summary (or the line saying the start had not finished) is printed
        // at exit however far the start got.
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new ShutdownSummary(startup), "nullspend-shutdown"));
        } catch (IllegalStateException exiting) {
            return; // the program ended before the agent started: nothing to count
        }
        Thread coreThread;
        CoreStarter core;
        try {
            JarFile jarFile = new JarFile(jar);
            // Before the core: its API client defines its java.net.http transport with the injector.
            HelperInjector injector = new HelperInjector(inst, jarFile);
            clock.mark("helper injector");
            // The core and ByteBuddy are independent: build them side by side.
            core = new CoreStarter(config, new JdkTransportFactory(injector), jar, startup, gate, clock);
            coreThread = new Thread(core, "nullspend-init-core");
            coreThread.setDaemon(true);
            coreThread.start();
            AgentInstaller.install(inst, gate, jarFile, injector, modules, premain, clock);
            gate.open();
            clock.mark("gate open");
            // After the gate, which it need not hold (its tables of hosts and client packages made a program
            // held there wait longer); the JDK sockets loaded until now are retransformed below, once armed.
            watchUnseenTraffic();
            clock.mark("unseen-traffic watch");
            int late = gate.retransformLate(inst);
            clock.mark("late retransformations");
            if (late > 0) {
                AgentLog.debug("start-up: " + late + " class(es) that loaded before the instrumentation retransformed");
            }
        } catch (Throwable t) {
            gate.open();
            gate.coreSettled();
            startup.failed();
            AgentLog.error("the agent could not start and is disabled; the program runs without it", t);
            return;
        }
        long instrumented = System.nanoTime();
        try {
            coreThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        clock.log();
        if (core.failure == null) {
            AgentLog.debug("start-up: instrumentation " + (instrumented - start) / 1_000_000 + " ms, core "
                    + core.millis + " ms (in parallel)");
            AgentLog.info("NullSpend agent " + AgentVersion.get() + " started: mode=" + mode() + ", enforcement="
                    + config.enforcement.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + ", instrumentations=" + names() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            running = true;
        } else {
            AgentLog.error("the agent could not start and is disabled; the program runs without it", core.failure);
        }
    }

    /**
     * Which client stacks the instrumentations cover (on or off, so that traffic
     * through one turned off is named as such), and the LLM hosts the socket-connect watch
     * looks for. A failure leaves the watch unarmed, logged; the agent runs on.
     */
    private void watchUnseenTraffic() {
        try {
            Map<String, List<String>> on = new LinkedHashMap<>();
            Map<String, List<String>> off = new LinkedHashMap<>();
            for (InstrumentationModule m : Modules.discovered()) {
                (config.instrumentationEnabled(m.name()) ? on : off).put(m.name(), m.clientPackages());
            }
            ClientStacks.install(ClientStacks.of(on, off));
            LlmConnections.arm(ProviderHosts.withExtraHosts(config.extraHosts));
        } catch (Throwable t) {
            AgentLog.warn("cannot watch for LLM traffic the agent does not cost; it may pass unreported", t);
        }
    }

    /**
     * The exit summary ({@link AgentStartup#shutdown}). A class, not a method reference: this
     * thread is what a program's first HTTP client waits for, and a lambda's bootstrap costs milliseconds.
     */
    private static final class ShutdownSummary implements Runnable {
        private final AgentStartup startup;

        ShutdownSummary(AgentStartup startup) {
            this.startup = startup;
        }

        @Override
        public void run() {
            startup.shutdown();
        }
    }

    /** Builds and installs the core runtime, then lets the calls waiting for it go on. */
    private static final class CoreStarter implements Runnable {
        private final AgentConfig config;
        private final JdkTransportFactory transports;
        private final File jar;
        private final AgentStartup startup;
        private final ClassLoadGate gate;
        private final StartupClock clock;
        private volatile Throwable failure;
        private volatile long millis;

        CoreStarter(AgentConfig config, JdkTransportFactory transports, File jar, AgentStartup startup,
                    ClassLoadGate gate, StartupClock clock) {
            this.config = config;
            this.transports = transports;
            this.jar = jar;
            this.startup = startup;
            this.gate = gate;
            this.clock = clock;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                AgentRuntime.start(config, transports, jar).install();
                startup.ready();
                clock.mark("core");
            } catch (Throwable t) {
                failure = t;
                startup.failed();
            } finally {
                gate.coreSettled();
            }
            millis = (System.nanoTime() - start) / 1_000_000;
        }
    }

    private String mode() {
        if (config.apiKey != null) {
            return "api (" + Redaction.url(config.baseUrl) + ")";
        }
        return config.ledger == null ? "local (ledger off)" : "local ledger (" + config.ledger.getAbsolutePath() + ")";
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (InstrumentationModule m : modules) {
            names.add(m.name());
        }
        return names.isEmpty() ? "none" : String.join(",", names);
    }
}
