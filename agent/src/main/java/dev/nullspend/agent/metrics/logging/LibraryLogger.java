package dev.nullspend.agent.metrics.logging;

import dev.nullspend.agent.log.AgentLog;

import java.util.logging.Level;

/**
 * Stands in for {@code java.util.logging.Logger} in the relocated metrics libraries: the agent jar's
 * build rewrites their references to it (agent/pom.xml). Touching {@code java.util.logging} would
 * start the program's {@code LogManager} before the program configures it (a container that sets its
 * own manager later would fail), and the libraries' lines would land in the program's log. Their
 * lines go to the agent's log at debug level; what the user must know (a push that failed, a port in
 * use) the exporters say themselves, once.
 */
public final class LibraryLogger {
    private final String name;

    private LibraryLogger(String name) {
        this.name = name;
    }

    public static LibraryLogger getLogger(String name) {
        return new LibraryLogger(name);
    }

    public boolean isLoggable(Level level) {
        return AgentLog.isDebug() && level.intValue() >= Level.FINE.intValue();
    }

    public void log(Level level, String msg) {
        log(level, msg, (Throwable) null);
    }

    public void log(Level level, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            AgentLog.debug("metrics library " + name + ": " + msg + (thrown == null ? "" : " (" + thrown + ")"));
        }
    }

    public void log(Level level, String msg, Object[] params) {
        if (isLoggable(level)) {
            String text;
            try {
                text = java.text.MessageFormat.format(msg, params);
            } catch (IllegalArgumentException notAPattern) {
                text = msg;
            }
            log(level, text);
        }
    }

    public void warning(String msg) {
        log(Level.WARNING, msg);
    }

    public void info(String msg) {
        log(Level.INFO, msg);
    }

    public void fine(String msg) {
        log(Level.FINE, msg);
    }
}
