package dev.nullspend.agent.guard;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The loop detector's content hash (docs/nullspend-api-contract.md#loop-detection): lower-case hex SHA-256 of the first
 * 8,192 bytes of the request body as the program sent it, first 8 characters; {@code empty} for an
 * empty body.
 */
final class ContentHash {
    static final int HASHED_BYTES = 8192;
    static final String EMPTY = "empty";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ContentHash() {
    }

    static String of(byte[] body) {
        if (body.length == 0) {
            return EMPTY;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update(body, 0, Math.min(body.length, HASHED_BYTES));
        byte[] digest = sha.digest();
        char[] out = new char[8];
        for (int i = 0; i < 4; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
