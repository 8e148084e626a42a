package dev.nullspend.it.fake;

/**
 * The pseudo-random bytes served by {@code GET /data/<n>}: the same n always gives the same bytes,
 * on any JDK, so a test can compute what the program must receive.
 */
public final class DeterministicBytes {

    private long state;

    /** A generator seeded by the size, so different sizes do not share a prefix. */
    public DeterministicBytes(long seed) {
        this.state = seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL;
    }

    /** The whole body of {@code GET /data/<n>}. */
    public static byte[] of(int n) {
        byte[] bytes = new byte[n];
        new DeterministicBytes(n).fill(bytes, 0, n);
        return bytes;
    }

    /** Fills {@code buf[off, off+len)} with the next bytes of the sequence (xorshift64*). */
    public void fill(byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            buf[off + i] = (byte) ((state * 0x2545F4914F6CDD1DL) >>> 56);
        }
    }
}
