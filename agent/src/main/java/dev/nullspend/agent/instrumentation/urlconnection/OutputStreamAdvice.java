package dev.nullspend.agent.instrumentation.urlconnection;

import net.bytebuddy.asm.Advice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.net.HttpURLConnection;

/**
 * Inlined into {@code sun.net.www.protocol.http.HttpURLConnection.getOutputStream()}: in a
 * streaming mode, a request an LLM API could be gets the agent's held body instead of the JDK's
 * stream (which would write the headers now), and the method turns a GET into a POST as the JDK does.
 */
public final class OutputStreamAdvice {
    private OutputStreamAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static OutputStream enter(@Advice.This HttpURLConnection connection,
                                     @Advice.FieldValue("chunkLength") int chunkLength,
                                     @Advice.FieldValue("fixedContentLength") int fixedLength,
                                     @Advice.FieldValue("fixedContentLengthLong") long fixedLengthLong,
                                     @Advice.FieldValue("inputStream") InputStream input,
                                     @Advice.FieldValue("rememberedException") Exception remembered,
                                     @Advice.FieldValue(value = "method", readOnly = false) String method)
            throws IOException {
        if (UrlConnectionAdapter.needsLookup()) {
            UrlConnectionAdapter.lookup(MethodHandles.lookup());
        }
        OutputStream held = UrlConnectionAdapter.heldOutput(connection,
                chunkLength != -1 || fixedLength != -1 || fixedLengthLong != -1, input != null || remembered != null);
        if (held != null && "GET".equals(method)) {
            method = "POST";
        }
        return held;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Enter OutputStream held, @Advice.Return(readOnly = false) OutputStream out) {
        if (held != null) {
            out = held;
        }
    }
}
