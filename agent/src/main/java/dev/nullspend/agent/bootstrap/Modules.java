package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.instrumentation.InstrumentationModule;
import dev.nullspend.agent.instrumentation.apache4.Apache4Instrumentation;
import dev.nullspend.agent.instrumentation.apache5.Apache5Instrumentation;
import dev.nullspend.agent.instrumentation.jdkhttp.JdkHttpClientInstrumentation;
import dev.nullspend.agent.instrumentation.tracktool.TrackToolInstrumentation;
import dev.nullspend.agent.instrumentation.okhttp.OkHttpInstrumentation;

import java.util.ArrayList;
import java.util.List;

/** Every instrumentation module the agent ships, filtered by {@code nullspend.instrumentation.NAME.enabled}. */
final class Modules {
    private Modules() {
    }

    static List<InstrumentationModule> all() {
        return List.of(new JdkHttpClientInstrumentation(), new OkHttpInstrumentation(), new Apache4Instrumentation(),
                new Apache5Instrumentation(), new TrackToolInstrumentation());
    }

    static List<InstrumentationModule> enabled(AgentConfig config) {
        List<InstrumentationModule> out = new ArrayList<>();
        for (InstrumentationModule m : all()) {
            if (config.instrumentationEnabled(m.name())) {
                out.add(m);
            }
        }
        return out;
    }
}
