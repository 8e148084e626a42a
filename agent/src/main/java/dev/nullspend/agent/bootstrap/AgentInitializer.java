package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentVersion;
import dev.nullspend.agent.core.AgentRuntime;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The slow half of start-up, on the {@code nullspend-init} daemon thread: the core first, then
 * the instrumentation, then the gate opens. Any failure leaves the program running untouched.
 */
final class AgentInitializer implements Runnable {
    private final AgentConfig config;
    private final Instrumentation inst;
    private final File jar;
    private final ClassLoadGate gate;
    private final List<InstrumentationModule> modules;
    private final boolean premain;

    AgentInitializer(AgentConfig config, Instrumentation inst, File jar, ClassLoadGate gate,
                     List<InstrumentationModule> modules, boolean premain) {
        this.config = config;
        this.inst = inst;
        this.jar = jar;
        this.gate = gate;
        this.modules = modules;
        this.premain = premain;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            JarFile jarFile = new JarFile(jar);
            // Before the core: its API client defines its java.net.http transport with the injector.
            HelperInjector injector = new HelperInjector(inst, jarFile);
            // The core (prices, reporter) and ByteBuddy are independent: build them side by side,
            // since a program that makes a call at once waits at the gate for both.
            CoreStarter core = new CoreStarter(config, new JdkTransportFactory(injector));
            Thread coreThread = new Thread(core, "nullspend-init-core");
            coreThread.setDaemon(true);
            coreThread.start();
            AgentInstaller.prepareTransformerClassInParallel();
            AgentInstaller.install(inst, gate, jarFile, injector, modules, premain);
            long instrumented = System.nanoTime();
            coreThread.join();
            if (core.failure != null) {
                throw core.failure;
            }
            AgentLog.debug("start-up: instrumentation " + (instrumented - start) / 1_000_000 + " ms, core "
                    + core.millis + " ms (in parallel)");
            AgentLog.info("NullSpend agent " + AgentVersion.get() + " started: mode=" + mode() + ", enforcement="
                    + config.enforcement.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + ", instrumentations=" + names() + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
        } catch (Throwable t) {
            AgentLog.error("the agent could not start and is disabled; the program runs without it", t);
        } finally {
            gate.open();
        }
    }

    /** Builds and installs the core runtime; the gate opens only after it is installed. */
    private static final class CoreStarter implements Runnable {
        private final AgentConfig config;
        private final JdkTransportFactory transports;
        private volatile Throwable failure;
        private volatile long millis;

        CoreStarter(AgentConfig config, JdkTransportFactory transports) {
            this.config = config;
            this.transports = transports;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                AgentRuntime runtime = AgentRuntime.start(config, transports);
                runtime.install();
                Runtime.getRuntime().addShutdownHook(new Thread(runtime::shutdown, "nullspend-shutdown"));
            } catch (Throwable t) {
                failure = t;
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
