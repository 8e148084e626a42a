package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentPresence;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.core.AgentStartup;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.spi.Services;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Start-up on the bootstrap class path. Premain does only what must happen before {@code main}:
 * read and validate the configuration, mark the start ({@link AgentStartup}: from now on, calls
 * and gated classes wait for the agent until {@code nullspend.startup.wait-ms}) and register the
 * {@link ClassLoadGate}. Everything slow (ByteBuddy, the price table, the ledger, the reporter)
 * happens on the daemon thread {@code nullspend-init}.
 *
 * <p>Attached to a running JVM (agentmain, docs/attach.md) the start is the same, with the same
 * options, except that it waits for {@code nullspend-init} to finish: when the attach command
 * returns, the clients the program already loaded are instrumented and its next calls are costed.
 * One agent per JVM: a second start is refused, logged once, and changes nothing.
 */
public final class AgentMain {
    /** How long an attach waits for the start to finish before it returns (the start goes on). */
    private static final long ATTACH_WAIT_MILLIS = 120_000;
    /** How the running agent started ({@link AgentPresence#starting}), or null before any start. */
    private static String startedAs;

    private AgentMain() {
    }

    public static synchronized void start(String agentArgs, Instrumentation inst, File jar, boolean premain) {
        StartupClock clock = new StartupClock(System.nanoTime());
        String attachId = premain ? null : AgentPresence.attachId(agentArgs);
        if (startedAs != null) {
            AgentLog.warn(premain ? "the agent is already running; the second -javaagent is ignored"
                    : "the agent is already running in this JVM (" + AgentPresence.how(startedAs)
                    + "); this attach is refused and changes nothing");
            return;
        }
        startedAs = AgentPresence.starting(premain, attachId);
        System.setProperty(AgentPresence.PROPERTY, startedAs);
        AgentInitializer init = prepare(AgentPresence.withoutAttachId(agentArgs), inst, jar, premain, clock);
        if (!premain) {
            boolean running = init != null && init.awaitRunning(ATTACH_WAIT_MILLIS);
            System.setProperty(AgentPresence.PROPERTY, AgentPresence.finished(attachId, running));
        }
    }

    /** Reads the configuration and starts {@code nullspend-init}; returns its work, or null when the agent does not start. */
    private static AgentInitializer prepare(String agentArgs, Instrumentation inst, File jar, boolean premain,
                                            StartupClock clock) {
        Services.agentJar(jar);
        // Never fails: an invalid value is named and falls back, the agent runs on (docs/configuration.md).
        AgentConfig config = AgentConfig.read(ConfigSource.fromRuntime(agentArgs));
        AgentLog.setLevel(config.logLevel);
        clock.mark("configuration");
        if (!config.enabled) {
            AgentLog.info("agent disabled by " + ConfigKeys.ENABLED + "=false");
            return null;
        }
        config.logInvalid();
        if (config.apiKeyProblem != null) {
            AgentLog.error("the NullSpend API key is refused: nothing is sent to the NullSpend API in this run, cost"
                    + " events go to the ledger " + config.ledger.getAbsolutePath());
        }
        for (String key : config.unknownKeys) {
            AgentLog.warn("unknown setting " + key + " is ignored (see docs/configuration.md)");
        }
        List<InstrumentationModule> modules;
        try {
            modules = Modules.enabled(config);
        } catch (java.io.IOException e) {
            AgentLog.error("cannot read the agent's instrumentations: " + e.getMessage() + "; agent disabled, the program runs without it");
            return null;
        }
        clock.mark("modules");
        Set<String> gated = new HashSet<>();
        Set<String> ungated = new HashSet<>();
        for (InstrumentationModule m : modules) {
            for (String type : m.typeNames()) {
                (m.holdsLoading() ? gated : ungated).add(type.replace('.', '/'));
            }
        }
        AgentStartup startup = AgentStartup.begin(config);
        ClassLoadGate gate = new ClassLoadGate(gated, ungated, startup.deadlineNanos());
        inst.addTransformer(gate, true);
        clock.mark("gate");
        AgentInitializer initializer = new AgentInitializer(config, inst, jar, gate, modules, premain, startup, clock);
        Thread init = new Thread(initializer, "nullspend-init");
        init.setDaemon(true);
        gate.initThread(init);
        init.start();
        return initializer;
    }
}
