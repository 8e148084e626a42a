package dev.nullspend.agent.instrumentation.tracktool;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Program classes that refer to the {@code dev.nullspend.api} package (and so may declare
 * {@code @TrackTool} methods or call the facade), found by a byte search of each class file as
 * it is loaded; the class-load gate calls {@link #usesApi}. Asking ByteBuddy to parse every class
 * for an annotated method is the costliest matcher an agent can have; this search costs a few
 * microseconds per class and turns the ByteBuddy type matcher into a set lookup.
 */
public final class AnnotatedTypes {
    private static final byte[] NEEDLE = "dev/nullspend/api/".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> CANDIDATES = ConcurrentHashMap.newKeySet();

    private AnnotatedTypes() {
    }

    /** True, and the class is recorded as a candidate, when its class file refers to the API package. */
    public static boolean usesApi(String internalName, byte[] classfile) {
        if (classfile == null || !contains(classfile)) {
            return false;
        }
        CANDIDATES.add(internalName.replace('/', '.'));
        return true;
    }

    /** True when the class (binary name) may declare {@code @TrackTool} methods. */
    public static boolean isCandidate(String binaryName) {
        return CANDIDATES.contains(binaryName);
    }

    static boolean contains(byte[] b) {
        byte first = NEEDLE[0];
        int last = b.length - NEEDLE.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < NEEDLE.length; j++) {
                if (b[i + j] != NEEDLE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
