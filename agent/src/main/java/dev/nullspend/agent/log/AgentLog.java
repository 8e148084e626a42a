package dev.nullspend.agent.log;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: one line per message on stderr, prefixed {@code [nullspend]}.
 *
 * <p>Deliberately not SLF4J or java.util.logging: touching either during premain would
 * initialise the program's logging before the program configures it. Messages are plain
 * strings; callers build them only when the level is enabled ({@link #isDebug()}). Every line,
 * exception texts included, goes through {@link Redaction#text}: no URL password, no API key.
 */
public final class AgentLog {

    /** Log levels, from most to least verbose. */
    public enum Level {
        DEBUG, INFO, WARN, ERROR, OFF;

        /** Parses {@code debug|info|warn|error|off} (also {@code warning}, {@code trace}); null when unknown. */
        public static Level parse(String s) {
            if (s == null) {
                return null;
            }
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "trace":
                case "debug":
                    return DEBUG;
                case "info":
                    return INFO;
                case "warn":
                case "warning":
                    return WARN;
                case "error":
                    return ERROR;
                case "off":
                case "none":
                    return OFF;
                default:
                    return null;
            }
        }
    }

    private static final String PREFIX = "[nullspend] ";
    private static volatile Level level = Level.INFO;
    private static volatile PrintStream out = System.err;
    private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
    private static final int MAX_ONCE_KEYS = 10_000;
    /** Causes printed with a debug stack trace (a cycle of causes must not loop forever). */
    private static final int MAX_CAUSES = 10;

    private AgentLog() {
    }

    public static void setLevel(Level l) {
        level = l;
    }

    public static Level level() {
        return level;
    }

    /** Redirects the log (tests). */
    public static void setOutput(PrintStream stream) {
        out = stream;
    }

    public static boolean isDebug() {
        return level == Level.DEBUG;
    }

    public static void debug(String msg) {
        log(Level.DEBUG, msg, null);
    }

    public static void info(String msg) {
        log(Level.INFO, msg, null);
    }

    public static void warn(String msg) {
        log(Level.WARN, msg, null);
    }

    public static void warn(String msg, Throwable t) {
        log(Level.WARN, msg, t);
    }

    public static void error(String msg) {
        log(Level.ERROR, msg, null);
    }

    public static void error(String msg, Throwable t) {
        log(Level.ERROR, msg, t);
    }

    /**
     * Logs a warning the first time {@code key} is seen and never again: for conditions that
     * would otherwise repeat on every call (an unknown model, a parser bug). Returns true when logged.
     */
    public static boolean warnOnce(String key, String msg, Throwable t) {
        if (ONCE.size() >= MAX_ONCE_KEYS || !ONCE.add(key)) {
            return false;
        }
        log(Level.WARN, msg, t);
        return true;
    }

    public static boolean warnOnce(String key, String msg) {
        return warnOnce(key, msg, null);
    }

    private static void log(Level l, String msg, Throwable t) {
        if (l.ordinal() < level.ordinal()) {
            return;
        }
        StringBuilder sb = new StringBuilder(PREFIX.length() + msg.length() + 16).append(PREFIX);
        if (l != Level.INFO) {
            sb.append(l.name()).append(' ');
        }
        sb.append(Redaction.text(msg));
        if (t != null) {
            sb.append(": ").append(Redaction.text(String.valueOf(t)));
        }
        PrintStream s = out;
        s.println(sb);
        if (t != null && level == Level.DEBUG) {
            printStackTrace(s, t);
        }
    }

    /** As {@link Throwable#printStackTrace}, with the messages of the throwable and its causes redacted. */
    private static void printStackTrace(PrintStream s, Throwable t) {
        String lead = "";
        for (int depth = 0; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            s.println(lead + Redaction.text(String.valueOf(t)));
            for (StackTraceElement frame : t.getStackTrace()) {
                s.println("\tat " + frame);
            }
            lead = "Caused by: ";
        }
    }
}
