package dev.nullspend.agent.instrumentation;

import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

/**
 * One instrumented library, in one small package: which types it touches, which helper classes
 * must live beside that library, and the advice it weaves. Modeled on OpenTelemetry's
 * InstrumentationModule; a new client is one new subclass.
 */
public abstract class InstrumentationModule {
    private final String name;
    private final List<String> typeNames;

    /**
     * @param name      the {@code nullspend.instrumentation.NAME.enabled} name
     * @param typeNames binary names of every type the module transforms; their loading waits
     *                  for the instrumentation to be ready
     */
    protected InstrumentationModule(String name, List<String> typeNames) {
        this.name = name;
        this.typeNames = List.copyOf(typeNames);
    }

    public final String name() {
        return name;
    }

    public final List<String> typeNames() {
        return typeNames;
    }

    /**
     * Binary names of the classes to define in the instrumented library's class loader, each
     * after its supertypes. Advice refers to them; they may use the library's types.
     */
    public abstract List<String> helperClassNames();

    /** Adds this module's type matchers and advice to {@code builder}. */
    public abstract AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice);
}
