package dev.nullspend.agent.instrumentation.entity;

import dev.nullspend.agent.exchange.Headers;

/**
 * {@link Headers} over a message whose entity carries its own content type and encoding. A
 * request's {@code Content-Type}/{@code Content-Encoding} often live only on its entity until
 * the client's protocol interceptors copy them into headers, so the entity answers for them when
 * the headers do not.
 */
public final class EntityHeaders<M, E> implements Headers {
    private final HeaderGetter<M, E> getter;
    private final M message;
    private final E entity;

    /** @param entity the message's entity, or null */
    public EntityHeaders(HeaderGetter<M, E> getter, M message, E entity) {
        this.getter = getter;
        this.message = message;
        this.entity = entity;
    }

    /** The headers of {@code message}, whose entity is {@code entity} (may be null). */
    public static <M, E> Headers of(HeaderGetter<M, E> getter, M message, E entity) {
        return new EntityHeaders<>(getter, message, entity);
    }

    @Override
    public String first(String name) {
        String value = getter.header(message, name);
        if (value != null || entity == null) {
            return value;
        }
        if ("content-type".equalsIgnoreCase(name)) {
            return getter.contentType(entity);
        }
        return "content-encoding".equalsIgnoreCase(name) ? getter.contentEncoding(entity) : null;
    }
}
