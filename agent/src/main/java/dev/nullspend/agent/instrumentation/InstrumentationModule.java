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
    private final boolean holdsLoading;

    /**
     * @param name      the {@code nullspend.instrumentation.NAME.enabled} name
     * @param typeNames binary names of every type the module transforms; their loading waits
     *                  for the instrumentation to be ready
     */
    protected InstrumentationModule(String name, List<String> typeNames) {
        this(name, typeNames, true);
    }

    /**
     * @param holdsLoading false for types whose loading must never wait for the instrumentation
     *                     (JDK classes every program may load early, such as its sockets): they
     *                     load at once and are retransformed once the instrumentation is ready
     */
    protected InstrumentationModule(String name, List<String> typeNames, boolean holdsLoading) {
        this.name = name;
        this.typeNames = List.copyOf(typeNames);
        this.holdsLoading = holdsLoading;
    }

    public final String name() {
        return name;
    }

    public final List<String> typeNames() {
        return typeNames;
    }

    /** True when the loading of {@link #typeNames()} waits at the class-load gate for the instrumentation. */
    public final boolean holdsLoading() {
        return holdsLoading;
    }

    /**
     * The packages of the HTTP client this module costs (prefixes, such as {@code okhttp3}): a
     * connection to an LLM host made with one of them on the stack is this module's to cost, and
     * needs no warning from the {@code socket-connect} watch. By default the packages of
     * {@link #typeNames()}; a module whose client connects from other packages (an I/O reactor,
     * an event loop) names its client's root package instead.
     */
    public List<String> clientPackages() {
        List<String> packages = new java.util.ArrayList<>();
        for (String type : typeNames) {
            int dot = type.lastIndexOf('.');
            String pkg = dot < 0 ? "" : type.substring(0, dot);
            if (!pkg.isEmpty() && !packages.contains(pkg)) {
                packages.add(pkg);
            }
        }
        return packages;
    }

    /**
     * Binary names of the classes to define in the instrumented library's class loader, each
     * after its supertypes. Advice refers to them; they may use the library's types.
     */
    public abstract List<String> helperClassNames();

    /** Adds this module's type matchers and advice to {@code builder}. */
    public abstract AgentBuilder instrument(AgentBuilder builder, AdviceFactory advice);
}
