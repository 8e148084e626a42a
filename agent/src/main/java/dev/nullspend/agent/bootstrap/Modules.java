package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.instrumentation.InstrumentationModules;
import dev.nullspend.agent.log.AgentLog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The discovered instrumentation modules, filtered by {@code nullspend.instrumentation.NAME.enabled}. */
final class Modules {
    private Modules() {
    }

    /** Every module {@link #enabled} found, on or off; empty before. */
    private static volatile List<InstrumentationModule> discovered = List.of();

    /** @throws IOException when the agent jar's module list cannot be read (a broken jar) */
    static List<InstrumentationModule> enabled(AgentConfig config) throws IOException {
        List<InstrumentationModule> all = InstrumentationModules.discover();
        discovered = all;
        Set<String> names = new HashSet<>();
        List<InstrumentationModule> out = new ArrayList<>();
        for (InstrumentationModule m : all) {
            names.add(m.name());
            if (config.instrumentationEnabled(m.name())) {
                out.add(m);
            }
        }
        // The names come from the modules, so a switch naming none of them is a typo.
        for (String name : config.instrumentations.keySet()) {
            if (!names.contains(name)) {
                AgentLog.warn("unknown setting " + dev.nullspend.agent.config.ConfigKeys.instrumentationEnabled(name)
                        + " is ignored: no instrumentation is named '" + name + "' (see docs/configuration.md)");
            }
        }
        return out;
    }

    /** Every module the last {@link #enabled} call found, on or off. */
    static List<InstrumentationModule> discovered() {
        return discovered;
    }
}
