package dev.nullspend.agent.instrumentation.reactornetty;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code HttpClient.create(…)} / {@code newConnection()}: the outermost one returns the client with the scope carrier. */
public final class HttpClientCreateAdvice {
    private HttpClientCreateAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        ScopeCarrier.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object client) {
        client = ScopeCarrier.exit(client);
    }
}
