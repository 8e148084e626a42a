package dev.nullspend.agent.instrumentation.apache4;

import net.bytebuddy.asm.Advice;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;

/**
 * Inlined into {@code doExecute(HttpHost, HttpRequest, HttpContext)}. A denial thrown by
 * {@link Apache4Adapter#begin} leaves enter advice, so {@code execute} ends before a connection
 * is even leased. The call's rewrite is applied to the request on the way in and undone on
 * the way out, where the response's entity is replaced by the tee, or a NullSpend proxy's denial
 * is thrown in place of the response.
 */
public final class Apache4ExecuteAdvice {
    private Apache4ExecuteAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
        return Apache4Adapter.begin(target, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object call, @Advice.Argument(1) HttpRequest request,
                            @Advice.Return HttpResponse response,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = Apache4Adapter.end(call, request, response, thrown);
    }
}
