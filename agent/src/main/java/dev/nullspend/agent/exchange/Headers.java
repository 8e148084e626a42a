package dev.nullspend.agent.exchange;

/** Read-only, case-insensitive view of one message's headers, whatever the HTTP client. */
@FunctionalInterface
public interface Headers {
    Headers NONE = name -> null;

    /** The first value of the header, or {@code null}; {@code name} is matched ignoring case. */
    String first(String name);
}
