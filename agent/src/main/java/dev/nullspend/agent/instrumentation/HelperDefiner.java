package dev.nullspend.agent.instrumentation;

import java.util.List;

/**
 * Defines a module's helper classes in the class loader of the library they serve. An interface
 * so that instrumentation code does not depend on the bootstrap package that implements it
 * ({@code bootstrap.HelperInjector}), which in turn installs the instrumentations.
 */
public interface HelperDefiner {

    /**
     * Makes sure {@code helpers} (binary names, supertypes before subtypes) are defined in
     * {@code loader}, and that {@code targetModule} can read them. Returns null when they are,
     * else what went wrong (not logged: the caller says which library stays uninstrumented).
     */
    Throwable tryInject(ClassLoader loader, Module targetModule, List<String> helpers);
}
