package dev.nullspend.agent.instrumentation.classloader;

import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code loadClass(String)} and {@code loadClass(String, boolean)} of container
 * class loaders: a name under {@code dev.nullspend.} is answered with the agent's own class
 * before the container's rules run. Every other load pays one {@code startsWith}; the method
 * then runs as before. Inlined (never dispatched), so that it cannot load classes itself
 * before that test.
 */
public final class LoadClassAdvice {
    private LoadClassAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static Class<?> enter(@Advice.Argument(0) String name) {
        if (name != null && name.startsWith("dev.nullspend.")) {
            return AgentClasses.bootCopy(name);
        }
        return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Enter Class<?> agentClass,
                            @Advice.Return(readOnly = false) Class<?> loaded) {
        if (agentClass != null) {
            loaded = agentClass;
        }
    }
}
