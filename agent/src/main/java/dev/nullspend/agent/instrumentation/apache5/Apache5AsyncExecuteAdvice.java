package dev.nullspend.agent.instrumentation.apache5;

import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

import java.util.concurrent.Future;

/**
 * Inlined into the async {@code doExecute(HttpHost, AsyncRequestProducer, AsyncResponseConsumer,
 * HandlerFactory, HttpContext, FutureCallback)}. The program's response consumer is replaced by
 * the tee, and its request producer by one that applies the call's rewrite, when it has one. A
 * denial skips the method body (nothing is sent, no connection is leased) and is delivered the
 * async way: a failed future, and the callback's {@code failed}.
 */
public final class Apache5AsyncExecuteAdvice {
    private Apache5AsyncExecuteAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, skipOnIndex = Apache5AsyncAdapter.DENIAL)
    public static Object[] enter(@Advice.Argument(0) HttpHost target,
                                 @Advice.Argument(value = 1, readOnly = false) AsyncRequestProducer producer,
                                 @Advice.Argument(value = 2, readOnly = false) AsyncResponseConsumer<?> consumer) {
        Object[] state = Apache5AsyncAdapter.begin(target, producer);
        if (state[Apache5AsyncAdapter.CALL] != null) {
            producer = (AsyncRequestProducer) state[Apache5AsyncAdapter.PRODUCER];
            consumer = Apache5AsyncAdapter.tee(consumer, state[Apache5AsyncAdapter.CALL]);
        }
        return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object[] state, @Advice.Argument(5) FutureCallback<?> callback,
                            @Advice.Return(readOnly = false) Future<?> result, @Advice.Thrown Throwable thrown) {
        result = Apache5AsyncAdapter.end(state, callback, result, thrown);
    }
}
