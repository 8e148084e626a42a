package dev.nullspend.agent.cli;

/** A command line the command cannot run: exit status 2, its message as the one line on stderr. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
