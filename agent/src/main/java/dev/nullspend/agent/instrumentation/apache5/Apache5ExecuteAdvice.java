package dev.nullspend.agent.instrumentation.apache5;

import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;

/**
 * Inlined into the classic {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}. A denial
 * thrown by {@link Apache5Adapter#begin} leaves enter advice, so {@code execute} ends before a
 * connection is even leased. The call's rewrite is applied to the request on the way in and
 * undone on the way out, where the response's entity is replaced by the tee, or a NullSpend
 * proxy's denial is thrown in place of the response.
 */
public final class Apache5ExecuteAdvice {
    private Apache5ExecuteAdvice() {
    }

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
        return Apache5Adapter.begin(target, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object call, @Advice.Argument(1) ClassicHttpRequest request,
                            @Advice.Return ClassicHttpResponse response,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = Apache5Adapter.end(call, request, response, thrown);
    }
}
