package dev.nullspend.agent.instrumentation;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent classes (not helpers) that a module's helpers and inlined advice refer to: once
 * woven into a library's class or defined in its loader, these names resolve through that
 * loader, which must hand back the agent's own copies. {@link #unresolvedIn} checks exactly
 * that, before the advice is woven, instead of letting the first call fail with a
 * {@code NoClassDefFoundError} that the advice would swallow. Read from the class files'
 * constant pools on first use.
 */
final class AgentReferences {
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int CONSTANT_METHOD_TYPE = 16;
    private static final String AGENT = "dev/nullspend/";
    private static final String SHADED = "dev.nullspend.agent.shaded.";

    private final ClassFileLocator agentJar;
    private final ClassLoader agentLoader;
    private final List<String> classes;
    private final Set<String> helpers;
    private volatile List<String> names;

    /**
     * @param agentLoader the loader of the agent's own copies: null, the bootstrap loader (tests: their own)
     * @param classes     binary names of the classes that live in (or are inlined into) the library's loader
     * @param helpers     the helpers among them: defined there, so not looked up
     */
    AgentReferences(ClassFileLocator agentJar, ClassLoader agentLoader, List<String> classes, List<String> helpers) {
        this.agentJar = agentJar;
        this.agentLoader = agentLoader;
        this.classes = List.copyOf(classes);
        this.helpers = Set.copyOf(helpers);
    }

    /** Binary names of the agent classes referred to, sorted. */
    List<String> names() throws IOException {
        List<String> n = names;
        if (n == null) {
            Set<String> found = new TreeSet<>();
            for (String c : classes) {
                collect(agentJar.locate(c).resolve(), found);
            }
            // Annotations' inner-class entries, never run. A loop, not removeIf with a lambda: this runs
            // while a program's first client class waits at the gate.
            for (Iterator<String> it = found.iterator(); it.hasNext(); ) {
                if (it.next().startsWith(SHADED)) {
                    it.remove();
                }
            }
            found.removeAll(classes);
            found.removeAll(helpers);
            names = n = List.copyOf(found);
        }
        return n;
    }

    /**
     * Null when {@code loader} resolves every referenced agent class to the agent's own copy (the
     * bootstrap class path's); else a {@code NoClassDefFoundError} naming the first that does not.
     * The agent's own loader needs no check.
     */
    Throwable unresolvedIn(ClassLoader loader) {
        if (loader == agentLoader) {
            return null;
        }
        try {
            for (String name : names()) {
                Class<?> own = Class.forName(name, false, agentLoader);
                Class<?> seen;
                try {
                    seen = Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    return new NoClassDefFoundError(name.replace('.', '/') + " (" + e + ")");
                }
                if (seen != own) {
                    return new NoClassDefFoundError(name.replace('.', '/') + " resolves to another copy, from " + seen.getClassLoader());
                }
            }
            return null;
        } catch (IOException | ClassNotFoundException e) {
            return e;
        }
    }

    /** Adds the {@code dev/nullspend/} classes named in {@code classFile}'s class constants and descriptors. */
    static void collect(byte[] classFile, Set<String> into) {
        ClassReader reader = new ClassReader(classFile);
        char[] buf = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0) {
                continue; // the unused slot after a long or double
            }
            int tag = reader.readByte(offset - 1);
            if (tag == CONSTANT_CLASS) {
                String name = reader.readUTF8(offset, buf);
                if (name.startsWith("[")) {
                    addFromDescriptor(name, into);
                } else if (name.startsWith(AGENT)) {
                    into.add(name.replace('/', '.'));
                }
            } else if (tag == CONSTANT_NAME_AND_TYPE) {
                addFromDescriptor(reader.readUTF8(offset + 2, buf), into);
            } else if (tag == CONSTANT_METHOD_TYPE) {
                addFromDescriptor(reader.readUTF8(offset, buf), into);
            }
        }
    }

    /** The {@code Ldev/nullspend/...;} types of a field or method descriptor. */
    private static void addFromDescriptor(String descriptor, Set<String> into) {
        int from = 0;
        while ((from = descriptor.indexOf("L" + AGENT, from)) >= 0) {
            int end = descriptor.indexOf(';', from);
            if (end < 0) {
                return;
            }
            into.add(descriptor.substring(from + 1, end).replace('/', '.'));
            from = end + 1;
        }
    }
}
