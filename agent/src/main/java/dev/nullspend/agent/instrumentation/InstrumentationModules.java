package dev.nullspend.agent.instrumentation;

import dev.nullspend.agent.spi.Services;
import java.io.IOException;
import java.util.List;

/**
 * The client instrumentations the agent ships, each listed in
 * {@code META-INF/services/dev.nullspend.agent.instrumentation.InstrumentationModule}: a new client
 * is one package with its module class, named there.
 */
public final class InstrumentationModules {
    private InstrumentationModules() {
    }

    /** Every shipped module, in installation order. */
    public static List<InstrumentationModule> discover() throws IOException {
        return Services.load(InstrumentationModule.class);
    }
}
