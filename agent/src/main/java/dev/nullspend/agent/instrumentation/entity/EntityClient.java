package dev.nullspend.agent.instrumentation.entity;

import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * What {@link EntityCalls} needs from one client's classic API, whose messages carry an entity
 * read and written as {@code java.io} streams (Apache HttpClient 4 and 5 classic, which share no
 * types): getters for the request and response, and the few changes the flow makes to them
 * (headers are read through a {@link HeaderGetter}). Implemented by a helper beside the library;
 * the flow itself is client-neutral.
 *
 * @param <H> the target host
 * @param <Q> the request
 * @param <R> the response
 * @param <E> the entity
 */
public interface EntityClient<H, Q, R, E> {

    /** The request's method; allocates nothing. */
    String method(Q request);

    /** The absolute URI the request goes to ({@code target} may be null). */
    URI uri(H target, Q request);

    /** The host of {@link #uri} as the client holds it, allocating nothing; null when it cannot be had so. */
    String host(H target, Q request);

    /**
     * The raw path of {@link #uri} (a query may follow), or its absolute form, as the client holds it,
     * allocating nothing; null when it cannot be had so (then any path is possible).
     */
    String requestTarget(Q request);

    /** The request's entity, or null when it has none (or cannot have one). */
    E requestEntity(Q request);

    /** Called only on a request that has an entity. */
    void setRequestEntity(Q request, E entity);

    void addHeader(Q request, String name, String value);

    void removeHeaders(Q request, String name);

    int status(R response);

    E responseEntity(R response);

    /** Closes the response and its connection. */
    void close(R response) throws IOException;

    boolean repeatable(E entity);

    /** The entity's length, or -1 when unknown. */
    long length(E entity);

    InputStream content(E entity) throws IOException;

    void writeTo(E entity, OutputStream out) throws IOException;

    /** An in-memory entity of {@code body} with {@code original}'s content type. */
    E withBody(E original, byte[] body);

    /** Gives {@code response} an entity described as {@code original} (type, encoding, length, chunked) over {@code content}. */
    void replay(R response, E original, InputStream content);

    /** Gives {@code response} the client's tee entity over {@code wrapped}, its entity (see {@link EntityTee}). */
    void tee(R response, E wrapped, ResponseSink sink, ResponseFilter filter);

    boolean isTee(E entity);
}
