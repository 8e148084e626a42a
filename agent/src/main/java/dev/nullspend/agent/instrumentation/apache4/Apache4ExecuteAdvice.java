package dev.nullspend.agent.instrumentation.apache4;

import net.bytebuddy.asm.Advice;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;

/**
 * Inlined into {@code doExecute(HttpHost, HttpRequest, HttpContext)}. A denial thrown by
 * {@link Apache4Adapter#begin} leaves enter advice, so {@code execute} ends before a connection
 * is even leased; on the way out the response's entity is replaced by the tee.
 */
public final class Apache4ExecuteAdvice {
    private Apache4ExecuteAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
        return Apache4Adapter.begin(target, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object call, @Advice.Return HttpResponse response,
                            @Advice.Thrown Throwable thrown) {
        Apache4Adapter.end(call, response, thrown);
    }
}
