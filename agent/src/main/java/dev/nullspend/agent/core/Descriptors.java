package dev.nullspend.agent.core;

import java.lang.reflect.Method;

/** JVM method descriptors of reflected methods, e.g. {@code (Ljava/lang/String;I)V}. */
final class Descriptors {
    private Descriptors() {
    }

    static String of(Method m) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            append(sb, p);
        }
        return append(sb.append(')'), m.getReturnType()).toString();
    }

    private static StringBuilder append(StringBuilder sb, Class<?> c) {
        if (c.isArray()) {
            return sb.append(c.getName().replace('.', '/'));
        }
        if (c.isPrimitive()) {
            return sb.append(c == void.class ? 'V' : c == boolean.class ? 'Z' : c == byte.class ? 'B'
                    : c == char.class ? 'C' : c == short.class ? 'S' : c == int.class ? 'I'
                    : c == long.class ? 'J' : c == float.class ? 'F' : 'D');
        }
        return sb.append('L').append(c.getName().replace('.', '/')).append(';');
    }
}
