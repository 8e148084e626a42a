package dev.nullspend.it.apps;

import java.util.Locale;

/** The ways a java.net.http program can take a response body; each one must get exactly the provider's bytes. */
public enum HandlerKind {
    /** {@code BodyHandlers.ofString()}. */
    STRING,
    /** {@code BodyHandlers.ofByteArray()}. */
    BYTES,
    /** {@code BodyHandlers.ofInputStream()}, read chunk by chunk. */
    INPUT_STREAM,
    /** {@code BodyHandlers.ofLines()}, consumed line by line. */
    LINES,
    /** A custom {@code BodyHandler} built on {@code BodySubscribers.mapping(ofByteArray(), …)}. */
    MAPPING,
    /** The program's own {@code BodySubscriber} implementation, requesting one buffer list at a time. */
    SUBSCRIBER;

    /** The command-line form: lower case, {@code -} for {@code _} (e.g. {@code input-stream}). */
    public String argName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static HandlerKind fromArgName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
