package dev.nullspend.agent.instrumentation;

import dev.nullspend.agent.log.AgentLog;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class loaders in which a library could not be instrumented, because the agent's classes could
 * not be defined or linked there: said once per loader and library, with the container's switch
 * that would help, and counted for the exit summary ({@link #summaryLine()}). The library's calls
 * in that loader go on unseen, so this is never left to a debug line.
 */
public final class UninstrumentedLoaders {
    /** Bounded like every other set of "said once" keys: a runaway of new loaders must not grow it forever. */
    static final int MAX_KEYS = 10_000;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static final Set<String> LIBRARIES = ConcurrentHashMap.newKeySet();

    private UninstrumentedLoaders() {
    }

    /**
     * Records that {@code library} stays uninstrumented in {@code loader} because of {@code cause};
     * logs it the first time for that pair. Returns true when it was new.
     */
    public static boolean report(String library, ClassLoader loader, Throwable cause) {
        String key = library + "@" + System.identityHashCode(loader);
        if (SEEN.size() >= MAX_KEYS || !SEEN.add(key)) {
            return false;
        }
        LIBRARIES.add(library);
        AgentLog.warn("cannot run the agent's " + library + " instrumentation in class loader " + describe(loader)
                + ": its classes do not resolve there, so " + library + " calls made through that loader are not"
                + " costed nor checked. " + remedy(loader), cause);
        return true;
    }

    /** At exit, whatever {@code nullspend.summary} says: calls went unseen. Nothing when none did. */
    public static void warnInSummary() {
        String line = summaryLine();
        if (line != null) {
            AgentLog.warn("NullSpend summary: " + line);
        }
    }

    /** How many (library, loader) pairs stayed uninstrumented. */
    public static int count() {
        return SEEN.size();
    }

    /** The exit summary's line, or null when every loader could be instrumented. */
    public static String summaryLine() {
        int n = SEEN.size();
        if (n == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%,d class loader%s could not be instrumented (%s): calls through %s were"
                + " not seen (see the warning%s above)", n, n == 1 ? "" : "s", String.join(", ", LIBRARIES.stream()
                .sorted().toList()), n == 1 ? "it" : "them", n == 1 ? "" : "s");
    }

    /** The container's own switch that makes {@code dev.nullspend} visible to its loaders. */
    static String remedy(ClassLoader loader) {
        String type = loader == null ? "" : loader.getClass().getName();
        if (type.startsWith("org.jboss.modules.")) {
            return "Start the JVM with -Djboss.modules.system.pkgs=dev.nullspend (JBoss Modules, WildFly).";
        }
        if (isOsgi(loader)) {
            return "Set the framework property org.osgi.framework.bootdelegation=dev.nullspend,dev.nullspend.* (OSGi).";
        }
        return "Make that loader delegate the packages dev.nullspend.* to its parent (the boot class path).";
    }

    private static boolean isOsgi(ClassLoader loader) {
        for (Class<?> c = loader == null ? null : loader.getClass(); c != null; c = c.getSuperclass()) {
            String name = c.getName();
            if (name.startsWith("org.apache.felix.") || name.startsWith("org.eclipse.osgi.")) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("org.osgi.framework.BundleReference")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(ClassLoader loader) {
        return loader == null ? "bootstrap" : loader.getClass().getName() + " (" + loader + ")";
    }

    /** Forgets every report (tests). */
    static void reset() {
        SEEN.clear();
        LIBRARIES.clear();
    }
}
