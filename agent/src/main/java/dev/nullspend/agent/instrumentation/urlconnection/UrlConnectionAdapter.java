package dev.nullspend.agent.instrumentation.urlconnection;

import dev.nullspend.agent.core.LlmCall;
import dev.nullspend.agent.core.LlmCalls;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.exchange.StreamBodies;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.NullSpendException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the advice woven into the JDK's {@code HttpURLConnection} calls. A connection is one call,
 * however many times the program asks for its streams or status: the {@link ConnectionCall} of each
 * tracked connection is kept in a weak map beside it. Only POSTs are ever looked at (every LLM API
 * the agent knows is a POST), so the JDK's own uses of the class (GETs of remote jars, schemas …)
 * cost a field read and a string comparison.
 *
 * <p>When the request leaves depends on the mode. Default: the program's body is buffered by the
 * JDK and written with the headers inside {@code getInputStream} (which {@code getResponseCode} and
 * {@code getHeaderField} reach too): the call is decided at its start, and its rewrite applied to
 * the buffered body and the headers. Streaming ({@code setFixedLengthStreamingMode},
 * {@code setChunkedStreamingMode}): the JDK writes the headers in {@code getOutputStream}, so for a
 * request an LLM API could be, the program gets a {@link HeldRequestBody} instead, and the call is
 * decided when that is complete, before the JDK's own stream is opened. A denial reaches the
 * program as a {@link NullSpendDeniedIOException} (the API throws only {@code IOException}s), from
 * that call and every later one on the connection. Only a denial ever leaves these methods.
 */
public final class UrlConnectionAdapter {
    private static final Map<Object, ConnectionCall> CALLS = Collections.synchronizedMap(new WeakHashMap<>());
    /** False until a connection is tracked: the common case of a program without LLM calls skips the map. */
    private static volatile boolean any;

    private UrlConnectionAdapter() {
    }

    /** True until the agent has made its handles on the connection class (the advice then hands in a lookup). */
    public static boolean needsLookup() {
        return ConnectionInternals.unresolved();
    }

    /** {@code lookup}: made by the advice inside the JDK's connection class. */
    public static void lookup(MethodHandles.Lookup lookup) {
        ConnectionInternals.resolve(lookup);
    }

    /**
     * At the entry of {@code getOutputStream}: in a streaming mode, for a request an LLM API could
     * be, connects as the JDK would and returns the stream that holds the body; null: the JDK's own.
     *
     * @param exchanged the JDK already has a response or a failure for this connection
     */
    public static OutputStream heldOutput(HttpURLConnection connection, boolean streaming, boolean exchanged)
            throws IOException {
        if (!streaming || exchanged) {
            return null;
        }
        ConnectionInternals internals = ConnectionInternals.get();
        try {
            if (internals == null || !connection.getDoOutput()) {
                return null;
            }
            ConnectionCall known = lookup(connection);
            if (known != null) {
                return known.heldBody();
            }
            String method = connection.getRequestMethod();
            if (!("POST".equals(method) || "GET".equals(method)) || !mayTrack(connection)) {
                return null;
            }
            URI uri = uri(connection);
            if (uri == null
                    || !LlmCalls.mayTrack("POST", uri, requestHeaders(connection, internals))) {
                return null;
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-output:" + t.getClass().getName(),
                    "cannot inspect an HttpURLConnection request; it goes on untracked", t);
            return null;
        }
        connection.connect(); // the JDK's getOutputStream connects first: its failure is the program's, as without us
        ConnectionCall state = new ConnectionCall();
        HeldRequestBody held = new HeldRequestBody(Exchange.MAX_BODY_COPY, new StreamingRelease(connection, state, internals));
        state.hold(held);
        put(connection, state);
        return held;
    }

    /**
     * At the entry of {@code getInputStream}: decides a call in the default mode, releases a held
     * body, throws the connection's denial again. Returns the state the exit hands back, or null.
     */
    public static Object beforeResponse(HttpURLConnection connection, boolean streaming, boolean exchanged)
            throws IOException {
        ConnectionCall state = lookup(connection);
        if (state != null) {
            return state.enter();
        }
        ConnectionInternals internals = ConnectionInternals.get();
        if (exchanged || internals == null) {
            return null;
        }
        String method;
        boolean doOutput;
        try {
            method = connection.getRequestMethod();
            doOutput = connection.getDoOutput();
        } catch (Throwable t) {
            return null;
        }
        // A streaming GET with doOutput is sent as a POST: the JDK opens its output stream itself.
        if (!"POST".equals(method) && !("GET".equals(method) && streaming && doOutput) || !mayTrack(connection)) {
            return null;
        }
        state = new ConnectionCall();
        RequestRewrite rewrite;
        if (streaming) {
            rewrite = decide(state, connection, internals, Exchange.BodySource.EMPTY, 0);
        } else {
            ByteArrayOutputStream buffered = bufferedBody(connection, internals);
            rewrite = decide(state, connection, internals,
                    buffered == null ? Exchange.BodySource.EMPTY : buffered::toByteArray,
                    buffered == null ? 0 : buffered.size());
        }
        if (state.call() == null) {
            if (streaming) {
                // The JDK opens its output stream itself next, for a body never written: it must get its own.
                put(connection, state);
            }
            return null;
        }
        put(connection, state);
        if (rewrite != null) {
            applyHeaders(connection, internals, rewrite);
            if (rewrite.replacesBody() && !streaming) {
                try {
                    internals.replaceBufferedBody(connection, rewrite.body());
                } catch (Throwable t) {
                    AgentLog.warnOnce("urlconnection-rewrite:" + t.getClass().getName(),
                            "cannot rewrite an HttpURLConnection body; it is sent as the program wrote it", t);
                }
            }
        }
        return state.enter();
    }

    /**
     * At the exit of {@code getInputStream}: the exchanging call hands the response to the call (a
     * NullSpend proxy's denial becomes this connection's denial); every call gets the denial, if any.
     * Returns what {@code getInputStream} throws.
     */
    public static Throwable afterResponse(Object tracked, HttpURLConnection connection, Throwable thrown, int status) {
        ConnectionCall state = (ConnectionCall) tracked;
        try {
            if (state.exchanged()) {
                responded(state, connection, thrown, status);
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-response:" + t.getClass().getName(),
                    "cannot follow an HttpURLConnection response; the program gets it untouched", t);
        }
        NullSpendDeniedIOException denial = state.denial();
        return denial != null ? denial : thrown;
    }

    /** What {@code getInputStream} returns: the JDK's stream teed to the call, the same one on every call. */
    public static InputStream input(Object tracked, InputStream raw) {
        try {
            return ((ConnectionCall) tracked).input(raw);
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-tee:" + t.getClass().getName(),
                    "cannot follow an HttpURLConnection response body; the program gets it untouched", t);
            return raw;
        }
    }

    /** What {@code getErrorStream} returns: a NullSpend proxy's answer read ahead, then the rest. */
    public static InputStream errorStream(HttpURLConnection connection, InputStream raw) {
        ConnectionCall state = lookup(connection);
        return state == null ? raw : state.errorStream(raw);
    }

    /** What {@code getResponseCode} throws: the connection's denial, which the JDK would answer with a status. */
    public static Throwable responseCode(HttpURLConnection connection, Throwable thrown) {
        ConnectionCall state = lookup(connection);
        NullSpendDeniedIOException denial = state == null ? null : state.denial();
        return denial != null ? denial : thrown;
    }

    /** At {@code disconnect}: a body the program did not read to its end was cut. */
    public static void disconnected(HttpURLConnection connection) {
        ConnectionCall state = lookup(connection);
        ResponseSink sink = state == null ? null : state.sink();
        if (sink != null) {
            sink.onCancel();
        }
    }

    private static void responded(ConnectionCall state, HttpURLConnection connection, Throwable thrown, int status)
            throws IOException {
        LlmCall call = state.call();
        if (call == null) {
            return;
        }
        if (status < 0) {
            call.onFailure(thrown != null ? thrown : new IOException("no HTTP response"));
            return;
        }
        ConnectionInternals internals = ConnectionInternals.get();
        Headers headers = name -> {
            try {
                return internals.responseHeader(connection, name);
            } catch (Throwable t) {
                return null;
            }
        };
        if (call.mayBeDenial(status, headers)) {
            proxyAnswer(state, call, connection, status, headers);
            return;
        }
        ResponseSink sink = call.onResponse(status, headers);
        if (sink != null) {
            state.respond(sink, call.responseFilter());
            if (thrown != null) {
                sink.onError(thrown);
            }
        }
    }

    /**
     * Reads a NullSpend proxy's answer that may be a denial (at most {@link ProxyDenials#MAX_BODY}
     * bytes): a denial closes the connection and becomes the connection's; otherwise the program's
     * {@code getErrorStream} starts with the bytes read.
     */
    private static void proxyAnswer(ConnectionCall state, LlmCall call, HttpURLConnection connection, int status,
                                    Headers headers) throws IOException {
        InputStream raw = connection.getErrorStream();
        byte[] ahead = raw == null ? new byte[0] : StreamBodies.readAhead(raw, ProxyDenials.MAX_BODY);
        NullSpendException denial = call.denial(status, headers, ahead);
        if (denial == null) {
            state.readAhead(ahead);
            return;
        }
        state.deny(new NullSpendDeniedIOException(denial));
        if (raw != null) {
            raw.close();
        }
        connection.disconnect();
    }

    /**
     * Recognises and admits the request; a denial is remembered for the connection, which is
     * closed (nothing of the request was written), and thrown. Returns the call's rewrite, or null.
     */
    static RequestRewrite decide(ConnectionCall state, HttpURLConnection connection, ConnectionInternals internals,
                                 Exchange.BodySource body, long length) throws NullSpendDeniedIOException {
        Exchange exchange;
        try {
            URI uri = uri(connection);
            if (uri == null) {
                return null;
            }
            exchange = new Exchange("POST", uri, requestHeaders(connection, internals), body, length);
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-begin:" + t.getClass().getName(),
                    "cannot inspect an HttpURLConnection request; it goes on untracked", t);
            return null;
        }
        LlmCall call;
        try {
            call = LlmCalls.begin(exchange);
        } catch (NullSpendException denial) {
            NullSpendDeniedIOException carrier = new NullSpendDeniedIOException(denial);
            state.deny(carrier);
            put(connection, state);
            connection.disconnect();
            throw carrier;
        }
        state.decided(call);
        return call == null ? null : call.rewrite();
    }

    /** Adds the rewrite's headers to the request, whose headers the JDK has not written yet. */
    static void applyHeaders(HttpURLConnection connection, ConnectionInternals internals, RequestRewrite rewrite) {
        try {
            for (int i = 0; i < rewrite.headerCount(); i++) {
                internals.setRequestHeader(connection, rewrite.headerName(i), rewrite.headerValue(i));
            }
        } catch (Throwable t) {
            AgentLog.warnOnce("urlconnection-headers:" + t.getClass().getName(),
                    "cannot add headers to an HttpURLConnection request; it is sent as the program made it", t);
        }
    }

    private static ByteArrayOutputStream bufferedBody(HttpURLConnection connection, ConnectionInternals internals) {
        try {
            return internals.bufferedBody(connection);
        } catch (Throwable t) {
            return null;
        }
    }

    private static Headers requestHeaders(HttpURLConnection connection, ConnectionInternals internals) {
        return name -> {
            try {
                return internals.requestHeader(connection, name);
            } catch (Throwable t) {
                return null;
            }
        };
    }

    /**
     * False for a POST {@link LlmCalls#begin} would surely leave alone ({@link LlmCalls#isCandidate}),
     * from the URL's own fields: nothing is made for it, not even its URI. The caller has checked the
     * method (every call is decided as a POST).
     */
    private static boolean mayTrack(HttpURLConnection connection) {
        URL url = connection.getURL();
        return url == null || LlmCalls.isCandidate("POST", url.getHost(), url.getPath());
    }

    private static URI uri(HttpURLConnection connection) {
        try {
            return connection.getURL().toURI();
        } catch (Exception e) {
            return null; // not a valid URI: no LLM API's
        }
    }

    private static ConnectionCall lookup(Object connection) {
        return any ? CALLS.get(connection) : null;
    }

    private static void put(Object connection, ConnectionCall state) {
        CALLS.put(connection, state);
        any = true;
    }
}
