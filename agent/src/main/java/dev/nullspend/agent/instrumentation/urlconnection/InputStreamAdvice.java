package dev.nullspend.agent.instrumentation.urlconnection;

import net.bytebuddy.asm.Advice;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.net.HttpURLConnection;

/**
 * Inlined into {@code sun.net.www.protocol.http.HttpURLConnection.getInputStream()}, which
 * {@code getResponseCode} and {@code getHeaderField*} reach too: the call is decided (or its
 * denial thrown again) on entry, before the JDK writes the request; on exit the response goes to
 * the call and the program gets the teed stream.
 */
public final class InputStreamAdvice {
    private InputStreamAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This HttpURLConnection connection,
                               @Advice.FieldValue("chunkLength") int chunkLength,
                               @Advice.FieldValue("fixedContentLength") int fixedLength,
                               @Advice.FieldValue("fixedContentLengthLong") long fixedLengthLong,
                               @Advice.FieldValue("inputStream") InputStream input,
                               @Advice.FieldValue("rememberedException") Exception remembered) throws IOException {
        if (UrlConnectionAdapter.needsLookup()) {
            UrlConnectionAdapter.lookup(MethodHandles.lookup());
        }
        return UrlConnectionAdapter.beforeResponse(connection,
                chunkLength != -1 || fixedLength != -1 || fixedLengthLong != -1, input != null || remembered != null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tracked, @Advice.This HttpURLConnection connection,
                            @Advice.FieldValue("responseCode") int status,
                            @Advice.Return(readOnly = false) InputStream in,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (tracked != null) {
            thrown = UrlConnectionAdapter.afterResponse(tracked, connection, thrown, status);
            if (thrown == null) {
                in = UrlConnectionAdapter.input(tracked, in);
            }
        }
    }
}
