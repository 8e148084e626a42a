package dev.nullspend.agent.instrumentation.classloader;

import java.util.Set;

/**
 * What a class loader gets when it is asked for one of the agent's classes: the copy on the
 * bootstrap class path, where the whole agent jar lives. Called by {@link LoadClassAdvice} from
 * the {@code loadClass} of container loaders (JBoss Modules, OSGi frameworks, Tomcat …) that
 * would otherwise look for {@code dev.nullspend.*} among the module's or bundle's own packages
 * and fail. Helpers are the exception: {@code HelperInjector} defines them inside the library's
 * loader (they implement its interfaces), so those names stay with the loader.
 */
public final class AgentClasses {
    private static final String AGENT = "dev.nullspend.agent.";
    private static final String API = "dev.nullspend.api.";

    /** Binary names of every module's helpers, set once at installation. */
    private static volatile Set<String> helpers = Set.of();

    private AgentClasses() {
    }

    /** The helper class names, which stay with the loader they were defined in. */
    public static void helpers(Set<String> names) {
        helpers = Set.copyOf(names);
    }

    /**
     * The bootstrap copy of {@code name} when it is one of the agent's classes (agent or API
     * package, not a helper) and the bootstrap class path has it; null otherwise, and the loader
     * goes on with its own rules. Loading from the bootstrap loader never calls a Java
     * {@code loadClass}, so this cannot recurse.
     */
    public static Class<?> bootCopy(String name) {
        if (!name.startsWith(AGENT) && !name.startsWith(API) || helpers.contains(name)) {
            return null;
        }
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
