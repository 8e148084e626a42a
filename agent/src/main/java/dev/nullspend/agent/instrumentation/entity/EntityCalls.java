package dev.nullspend.agent.instrumentation.entity;

import dev.nullspend.agent.core.CallDepth;
import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.io.InputStream;

/**
 * The one flow of a blocking {@code execute} through a client whose messages carry entities (see
 * {@link EntityClient}), from the advice on the client's choke point: the request becomes an
 * {@link Exchange} for the core; the call's rewrite is applied to the program's request for this
 * one {@code execute} and undone after it; the response goes to the call and its entity is teed,
 * or a NullSpend proxy's denial is returned in place of it. Client-neutral (JDK types and the
 * core only), so one copy on the bootstrap class path serves every client's helpers; only a
 * denial ever leaves these methods. The call depth makes an {@code execute} reached from another
 * one on the same thread (a subclass delegating to {@code super}) count once.
 */
public final class EntityCalls<H, M, Q extends M, R extends M, E> {
    private final EntityClient<H, Q, R, E> client;
    private final HeaderGetter<M, ? super E> headers;
    private final String logKey;
    private final String clientName;
    private final CallDepth depth = new CallDepth();

    /**
     * @param headers    reads the headers of the client's messages ({@code M}: requests and responses)
     * @param logKey     the prefix of this client's warn-once keys, e.g. {@code apache4}
     * @param clientName the client as the log names it, e.g. {@code Apache HttpClient 4}
     */
    public EntityCalls(EntityClient<H, Q, R, E> client, HeaderGetter<M, ? super E> headers, String logKey,
                       String clientName) {
        this.client = client;
        this.headers = headers;
        this.logKey = logKey;
        this.clientName = clientName;
    }

    /** The call to track, or {@code null}; throws only a deliberate denial. Always pair with {@link #end}. */
    public Object begin(H target, Q request) {
        if (depth.enter() != 0) {
            return null;
        }
        try {
            if (!LlmCalls.isCandidate(client.method(request), client.host(target, request), client.requestTarget(request))) {
                return null; // nothing made for a call that is surely no LLM call
            }
            E entity = client.requestEntity(request);
            LlmCall call = LlmCalls.begin(new Exchange(client.method(request), client.uri(target, request),
                    EntityHeaders.of(headers, request, entity),
                    entity == null ? Exchange.BodySource.EMPTY
                            : StreamBodies.requestBody(client.repeatable(entity), new EntityContent<>(client, entity)),
                    entity == null ? 0L : client.length(entity)));
            return call == null ? null : rewrite(call, request, entity);
        } catch (NullSpendException denial) {
            depth.exit(); // the exit advice does not run when the enter advice throws
            throw denial;
        } catch (Throwable t) {
            AgentLog.warnOnce(logKey + "-begin:" + t.getClass().getName(),
                    "cannot inspect an " + clientName + " request; it goes on untracked", t);
            return null;
        }
    }

    /**
     * After {@code execute}: the program's request gets back what {@link #begin} changed, the
     * response goes to the call and its entity is teed; a throw ends the call. Returns what
     * {@code execute} throws: {@code thrown}, or a NullSpend proxy's denial in place of its
     * response (closed), or null.
     */
    @SuppressWarnings("unchecked")
    public Throwable end(Object tracked, Q request, R response, Throwable thrown) {
        depth.exit();
        if (tracked == null) {
            return thrown;
        }
        TrackedCall<E> state = (TrackedCall<E>) tracked;
        LlmCall call = state.call;
        try {
            restore(state, request);
            if (thrown != null) {
                call.onFailure(thrown);
                return thrown;
            }
            E entity = client.responseEntity(response);
            int status = client.status(response);
            Headers responseHeaders = EntityHeaders.of(headers, response, entity);
            if (call.mayBeDenial(status, responseHeaders)) {
                return proxyDenial(call, status, responseHeaders, response, entity);
            }
            ResponseSink sink = call.onResponse(status, responseHeaders);
            if (sink == null) {
                return null;
            }
            if (entity == null) {
                sink.onComplete();
            } else if (!client.isTee(entity)) {
                client.tee(response, entity, sink, call.responseFilter());
            }
        } catch (Throwable t) {
            AgentLog.warnOnce(logKey + "-end:" + t.getClass().getName(),
                    "cannot follow an " + clientName + " response; the program gets it untouched", t);
        }
        return null;
    }

    /**
     * Applies the call's rewrite to the program's request for this one {@code execute} (HttpClient 4
     * has no copy that keeps a request's own {@code RequestConfig}); {@link #restore} undoes it.
     * The core only adds headers the request lacks, so removing them afterwards restores it.
     */
    private TrackedCall<E> rewrite(LlmCall call, Q request, E entity) {
        RequestRewrite rewrite = call.rewrite();
        if (rewrite == null) {
            return new TrackedCall<>(call, null, null);
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            client.addHeader(request, rewrite.headerName(i), rewrite.headerValue(i));
        }
        E sent = null;
        if (rewrite.replacesBody() && entity != null) {
            sent = client.withBody(entity, rewrite.body());
            client.setRequestEntity(request, sent);
        }
        return new TrackedCall<>(call, entity, sent);
    }

    private void restore(TrackedCall<E> state, Q request) {
        RequestRewrite rewrite = state.call.rewrite();
        if (rewrite == null) {
            return;
        }
        for (int i = 0; i < rewrite.headerCount(); i++) {
            client.removeHeaders(request, rewrite.headerName(i));
        }
        if (state.sent != null && client.requestEntity(request) == state.sent) {
            client.setRequestEntity(request, state.original);
        }
    }

    /**
     * Reads the (small) body of a NullSpend proxy response that may be a denial: a denial closes
     * the response and is returned; otherwise the program's entity gives exactly the bytes read
     * ahead, then the rest.
     */
    private Throwable proxyDenial(LlmCall call, int status, Headers responseHeaders, R response, E entity)
            throws IOException {
        InputStream in = entity == null ? null : client.content(entity);
        byte[] ahead = in == null ? new byte[0] : StreamBodies.readAhead(in, ProxyDenials.MAX_BODY);
        NullSpendException denial = call.denial(status, responseHeaders, ahead);
        if (denial != null) {
            if (in != null) {
                in.close();
            }
            client.close(response);
            return denial;
        }
        if (in != null) {
            client.replay(response, entity, StreamBodies.replay(ahead, in));
        }
        return null;
    }

    /** A tracked call, and the entity sent instead of the program's {@code original} (both null when the body is the program's). */
    private static final class TrackedCall<E> {
        final LlmCall call;
        final E original;
        final E sent;

        TrackedCall(LlmCall call, E original, E sent) {
            this.call = call;
            this.original = original;
            this.sent = sent;
        }
    }

    /** Opens a request entity's content for the copy {@link StreamBodies#requestBody} makes of a repeatable entity. */
    private static final class EntityContent<E> implements StreamBodies.Opener {
        private final EntityClient<?, ?, ?, E> client;
        private final E entity;

        EntityContent(EntityClient<?, ?, ?, E> client, E entity) {
            this.client = client;
            this.entity = entity;
        }

        @Override
        public InputStream open() throws IOException {
            return client.content(entity);
        }
    }
}
