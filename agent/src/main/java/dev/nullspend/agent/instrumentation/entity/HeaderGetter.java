package dev.nullspend.agent.instrumentation.entity;

/**
 * Reads one client's message headers and its entities' content type and encoding, for
 * {@link EntityHeaders}.
 *
 * @param <M> the message (request or response)
 * @param <E> what describes the message's entity
 */
public interface HeaderGetter<M, E> {

    /** The first value of the header, or {@code null}; {@code name} is matched ignoring case. */
    String header(M message, String name);

    String contentType(E entity);

    String contentEncoding(E entity);
}
