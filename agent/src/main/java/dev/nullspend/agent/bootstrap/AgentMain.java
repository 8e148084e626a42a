package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
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
 */
public final class AgentMain {
    private static boolean started;

    private AgentMain() {
    }

    public static synchronized void start(String agentArgs, Instrumentation inst, File jar, boolean premain) {
        if (started) {
            AgentLog.warn("the agent is already running; the second -javaagent is ignored");
            return;
        }
        started = true;
        Services.agentJar(jar);
        // Never fails: an invalid value is named and falls back, the agent runs on (docs/configuration.md).
        AgentConfig config = AgentConfig.read(ConfigSource.fromRuntime(agentArgs));
        AgentLog.setLevel(config.logLevel);
        if (!config.enabled) {
            AgentLog.info("agent disabled by " + ConfigKeys.ENABLED + "=false");
            return;
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
            return;
        }
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
        Thread init = new Thread(new AgentInitializer(config, inst, jar, gate, modules, premain, startup), "nullspend-init");
        init.setDaemon(true);
        gate.initThread(init);
        init.start();
    }
}
