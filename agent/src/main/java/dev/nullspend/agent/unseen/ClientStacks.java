package dev.nullspend.agent.unseen;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which HTTP client stack a connection or call comes from, read from the thread's stack: the
 * first frame in a package an instrumentation covers ({@code InstrumentationModule.clientPackages()})
 * names that instrumentation, on or off; without one, the first frame outside the JDK and the
 * agent names the library. Walked only for traffic to an LLM host, never for other connections.
 * Immutable and thread-safe.
 */
public final class ClientStacks {
    /** Enough for the deepest framework stacks above a connect; a deeper frame is not looked at. */
    static final int MAX_FRAMES = 1024;
    private static final String AGENT = "dev.nullspend.agent.";
    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    /** JDK packages that are an HTTP client of their own, and the name a user knows it by. */
    private static final String[][] JDK_CLIENTS = {{"sun.net.www.", "java.net.HttpURLConnection"}};

    private static volatile ClientStacks current = new ClientStacks(List.of());

    private final List<Covered> covered;

    /** A package prefix (ending in a dot) an instrumentation covers. */
    private record Covered(String prefix, String module, boolean enabled) {
    }

    /**
     * What a stack says.
     *
     * @param library the client or library: a covered package, a JDK client, or the first other frame's family
     * @param module  the instrumentation covering it, or null
     * @param enabled whether that instrumentation is on
     */
    public record Stack(String library, String module, boolean enabled) {
        /** True when an instrumentation that is on covers this stack: it costs the traffic. */
        public boolean instrumented() {
            return module != null && enabled;
        }
    }

    private ClientStacks(List<Covered> covered) {
        this.covered = covered;
    }

    /**
     * @param enabled  module name → client packages, of the instrumentations that are on
     * @param disabled the same of those turned off
     */
    public static ClientStacks of(Map<String, List<String>> enabled, Map<String, List<String>> disabled) {
        List<Covered> covered = new ArrayList<>();
        add(covered, enabled, true);
        add(covered, disabled, false);
        return new ClientStacks(List.copyOf(covered));
    }

    /** Plain loops: this runs on the agent's start-up thread, where a first lambda costs milliseconds. */
    private static void add(List<Covered> covered, Map<String, List<String>> modules, boolean enabled) {
        for (Map.Entry<String, List<String>> m : modules.entrySet()) {
            for (String p : m.getValue()) {
                covered.add(new Covered(p + ".", m.getKey(), enabled));
            }
        }
    }

    /** Installed at start-up, before the instrumentations. */
    public static void install(ClientStacks stacks) {
        current = stacks;
    }

    public static ClientStacks current() {
        return current;
    }

    /** The stack of the calling thread. */
    public Stack ofCurrentThread() {
        return StackWalker.getInstance().walk(frames -> classify(
                frames.limit(MAX_FRAMES).map(StackWalker.StackFrame::getClassName).iterator()));
    }

    /** The stack whose frames' class names, innermost first, are {@code classNames}. */
    public Stack classify(Iterator<String> classNames) {
        String library = null;
        while (classNames.hasNext()) {
            String name = classNames.next();
            if (name.startsWith(AGENT)) {
                continue;
            }
            for (Covered c : covered) {
                if (name.startsWith(c.prefix())) {
                    return new Stack(c.prefix().substring(0, c.prefix().length() - 1), c.module(), c.enabled());
                }
            }
            if (library == null) {
                library = isJdk(name) ? jdkClient(name) : family(name);
            }
        }
        return new Stack(library == null ? "the JDK" : library, null, false);
    }

    private static boolean isJdk(String className) {
        for (String p : JDK) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The JDK client this JDK class belongs to, or null for plain JDK plumbing (sockets, threads). */
    private static String jdkClient(String className) {
        for (String[] c : JDK_CLIENTS) {
            if (className.startsWith(c[0])) {
                return c[1];
            }
        }
        return null;
    }

    /**
     * A library's name from one of its classes: the first two segments of its package
     * ({@code io.netty}, {@code reactor.netty}), or, in a package of two segments or fewer, the
     * top-level class itself ({@code com.example.MyRawSocketClient}), which says more than
     * {@code com.example} would.
     */
    static String family(String className) {
        int lastDot = className.lastIndexOf('.');
        int first = className.indexOf('.');
        int second = first < 0 ? -1 : className.indexOf('.', first + 1);
        if (second < 0 || second >= lastDot) {
            int nested = className.indexOf('$', lastDot + 1);
            return nested < 0 ? className : className.substring(0, nested);
        }
        return className.substring(0, second);
    }
}
