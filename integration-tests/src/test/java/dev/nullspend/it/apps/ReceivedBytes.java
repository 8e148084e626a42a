package dev.nullspend.it.apps;

import dev.nullspend.it.fake.Sha256;
import java.security.MessageDigest;

/**
 * Digests the body bytes a program receives, as it receives them, and prints {@code first-event} the
 * moment it has seen the end of the first SSE event (a blank line, {@code "\n\n"}).
 */
final class ReceivedBytes {

    private final MessageDigest digest = Sha256.newDigest();
    private long count;
    private int previous = -1;
    private boolean firstEventSeen;

    void accept(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
        count += length;
        for (int i = offset; i < offset + length && !firstEventSeen; i++) {
            if (bytes[i] == '\n' && previous == '\n') {
                firstEventSeen = true;
                System.out.println("first-event");
                System.out.flush();
            }
            previous = bytes[i];
        }
    }

    void accept(byte[] bytes) {
        accept(bytes, 0, bytes.length);
    }

    /** Prints {@code bytes-before-failure=…}: the body failed while the program read it. */
    void printCountBeforeFailure() {
        System.out.println("bytes-before-failure=" + count);
    }

    /** The SHA-256 of what was received so far, in hex; call once, at the end of the body. */
    String sha256() {
        return Sha256.hex(digest);
    }

    long count() {
        return count;
    }

    /** Prints {@code sha256=…} and {@code bytes=…}; call once, at the end of the body. */
    void printSummary() {
        System.out.println("sha256=" + Sha256.hex(digest));
        System.out.println("bytes=" + count);
    }
}
