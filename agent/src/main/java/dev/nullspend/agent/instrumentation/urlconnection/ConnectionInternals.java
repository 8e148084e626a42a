package dev.nullspend.agent.instrumentation.urlconnection;

import dev.nullspend.agent.log.AgentLog;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The private state of {@code sun.net.www.protocol.http.HttpURLConnection} the adapter needs: the
 * request headers to read and add to once the connection is connected (the public
 * {@code setRequestProperty} refuses then), the buffered body ({@code poster}) to read and replace,
 * the fixed streaming length to keep in step with a replaced body, the response headers. The
 * package {@code sun.net.www} is not exported, so these are method handles made from a
 * {@link MethodHandles.Lookup} that the advice creates inside the woven class, once. If a JDK
 * lacks any of them, the instrumentation says so once and leaves every connection alone.
 */
final class ConnectionInternals {
    private static volatile ConnectionInternals resolved;
    private static volatile boolean failed;

    private final MethodHandle requests;
    private final MethodHandle responses;
    private final MethodHandle findValue;
    private final MethodHandle setValue;
    private final MethodHandle poster;
    private final MethodHandle setPoster;
    private final MethodHandle newPoster;
    private final MethodHandle chunkLength;
    private final MethodHandle setFixedLength;
    private final MethodHandle fixedLength;
    private final MethodHandle fixedLengthLong;

    private ConnectionInternals(MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        Class<?> connection = lookup.lookupClass();
        Class<?> header = connection.getDeclaredField("requests").getType();
        Class<?> posterType = connection.getDeclaredField("poster").getType();
        Class<?> generic = Object.class;
        requests = lookup.findGetter(connection, "requests", header).asType(MethodType.methodType(generic, generic));
        responses = lookup.findGetter(connection, "responses", header).asType(MethodType.methodType(generic, generic));
        findValue = lookup.findVirtual(header, "findValue", MethodType.methodType(String.class, String.class))
                .asType(MethodType.methodType(String.class, generic, String.class));
        setValue = lookup.findVirtual(header, "set", MethodType.methodType(void.class, String.class, String.class))
                .asType(MethodType.methodType(void.class, generic, String.class, String.class));
        poster = lookup.findGetter(connection, "poster", posterType).asType(MethodType.methodType(generic, generic));
        setPoster = lookup.findSetter(connection, "poster", posterType)
                .asType(MethodType.methodType(void.class, generic, generic));
        newPoster = lookup.findConstructor(posterType, MethodType.methodType(void.class))
                .asType(MethodType.methodType(generic));
        chunkLength = lookup.findGetter(connection, "chunkLength", int.class)
                .asType(MethodType.methodType(int.class, generic));
        setFixedLength = lookup.findSetter(connection, "fixedContentLengthLong", long.class)
                .asType(MethodType.methodType(void.class, generic, long.class));
        fixedLength = lookup.findGetter(connection, "fixedContentLength", int.class)
                .asType(MethodType.methodType(int.class, generic));
        fixedLengthLong = lookup.findGetter(connection, "fixedContentLengthLong", long.class)
                .asType(MethodType.methodType(long.class, generic));
    }

    /** True until the handles are made (or could not be): the advice then hands in a lookup. */
    static boolean unresolved() {
        return resolved == null && !failed;
    }

    /** Makes the handles from {@code lookup}, a lookup of the woven connection class. */
    static synchronized void resolve(MethodHandles.Lookup lookup) {
        if (resolved != null || failed) {
            return;
        }
        try {
            resolved = new ConnectionInternals(lookup);
        } catch (Throwable t) {
            failed = true;
            AgentLog.warnOnce("urlconnection-internals", "this JDK's HttpURLConnection is not the one the agent knows;"
                    + " calls made through HttpURLConnection are not tracked", t);
        }
    }

    /** The handles, or null when this JDK's connection class does not have what the agent needs. */
    static ConnectionInternals get() {
        return resolved;
    }

    /** The first value of the request header {@code name} (any case), all headers included. */
    String requestHeader(Object connection, String name) throws Throwable {
        return (String) findValue.invokeExact(requests.invokeExact(connection), name);
    }

    /** Sets a request header; used before the request's headers are written. */
    void setRequestHeader(Object connection, String name, String value) throws Throwable {
        setValue.invokeExact(requests.invokeExact(connection), name, value);
    }

    /** The first value of the response header {@code name} (any case). */
    String responseHeader(Object connection, String name) throws Throwable {
        Object headers = responses.invokeExact(connection);
        return headers == null ? null : (String) findValue.invokeExact(headers, name);
    }

    /** The body a program wrote in the default (buffered) mode, or null when it never asked for the output stream. */
    ByteArrayOutputStream bufferedBody(Object connection) throws Throwable {
        return (ByteArrayOutputStream) (Object) poster.invokeExact(connection);
    }

    /** Replaces the buffered body with {@code body} (the JDK derives Content-Length from it when it writes the request). */
    void replaceBufferedBody(Object connection, byte[] body) throws Throwable {
        Object fresh = newPoster.invokeExact();
        ((ByteArrayOutputStream) fresh).write(body, 0, body.length);
        setPoster.invokeExact(connection, fresh);
    }

    /** True in the chunked streaming mode ({@code setChunkedStreamingMode}). */
    boolean chunked(Object connection) throws Throwable {
        return (int) chunkLength.invokeExact(connection) != -1;
    }

    /** The length {@code setFixedLengthStreamingMode} set (either overload), or -1. */
    long fixedLength(Object connection) throws Throwable {
        long length = (long) fixedLengthLong.invokeExact(connection);
        return length != -1 ? length : (int) fixedLength.invokeExact(connection);
    }

    /** The fixed streaming length, for a body replaced before the request's headers are written. */
    void setFixedLength(Object connection, long length) throws Throwable {
        setFixedLength.invokeExact(connection, length);
    }
}
