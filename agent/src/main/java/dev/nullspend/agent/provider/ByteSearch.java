package dev.nullspend.agent.provider;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in a response body eight at a time (one {@code long} read, SWAR): the scans every
 * streamed response runs over all its bytes (line ends, the usage key) cost a few cycles per
 * word instead of per byte. Stateless.
 */
public final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Every byte {@code \r + 1}: a byte below it is a line end or another control byte. */
    private static final long BELOW_LINE_END = ONES * ('\r' + 1);

    private ByteSearch() {
    }

    /**
     * The index of the first {@code \n} or {@code \r} in {@code buf[from, end)}, or {@code end}.
     * One test per word flags every byte below {@code 0x0E} (both line ends, and control bytes a
     * JSON line hardly has), each flag then checked: half the work of testing for each line end.
     */
    public static int lineEnd(byte[] buf, int from, int end) {
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(buf, i);
            // Flags above a true one may be false (a borrow), as in zeroBytes: each is checked, none is missed.
            for (long found = (word - BELOW_LINE_END) & ~word & HIGHS; found != 0; found &= found - 1) {
                int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                if (buf[at] == '\n' || buf[at] == '\r') {
                    return at;
                }
            }
        }
        for (; i < end; i++) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return end;
    }

    /** The index of the first {@code b} in {@code buf[from, end)}, or {@code end}. */
    public static int indexOf(byte[] buf, int from, int end, byte b) {
        long pattern = ONES * (b & 0xFF);
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(buf, i) ^ pattern);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return end;
    }

    /**
     * The index of the first {@code a} directly followed by {@code b} in {@code buf[from, end)}, or
     * {@code end}: a quoted key's opening quote and first letter are far rarer together than either.
     */
    public static int indexOfPair(byte[] buf, int from, int end, byte a, byte b) {
        long first = ONES * (a & 0xFF);
        long second = ONES * (b & 0xFF);
        int i = from;
        for (; i <= end - Long.BYTES - 1; i += Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(buf, i) ^ first) & zeroBytes((long) LONGS.get(buf, i + 1) ^ second);
            // Flags above a true one may be false (see zeroBytes): each is checked, none is missed.
            for (; found != 0; found &= found - 1) {
                int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                if (buf[at] == a && buf[at + 1] == b) {
                    return at;
                }
            }
        }
        for (; i < end - 1; i++) {
            if (buf[i] == a && buf[i + 1] == b) {
                return i;
            }
        }
        return end;
    }

    /**
     * The high bit of every zero byte of {@code v} set. Bytes above the first zero byte may be
     * flagged falsely (a borrow), never those below it: the lowest flag is always exact.
     */
    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }
}
