package dev.nullspend.agent.pricing;

import java.math.BigInteger;

/**
 * An exact, non-negative sum of {@code tokens × rate(µ$/MTok)}, i.e. an amount in picodollars
 * (10⁻¹² $). Kept in a {@code long} (up to ≈ $9.2M) and moved to {@link BigInteger} only when a
 * product or the sum overflows, so ordinary events never allocate one. Mutable, single-threaded.
 */
final class Picodollars {
    private static final long PER_MICRODOLLAR = 1_000_000L;

    private long value;
    private BigInteger big;

    /** Adds {@code tokens × microsPerMTok}. */
    Picodollars add(long tokens, long microsPerMTok) {
        if (big == null) {
            try {
                value = Math.addExact(value, Math.multiplyExact(tokens, microsPerMTok));
                return this;
            } catch (ArithmeticException overflow) {
                big = BigInteger.valueOf(value);
            }
        }
        big = big.add(BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(microsPerMTok)));
        return this;
    }

    /** Adds another amount. */
    Picodollars add(Picodollars other) {
        if (big == null && other.big == null) {
            try {
                value = Math.addExact(value, other.value);
                return this;
            } catch (ArithmeticException overflow) {
                // the exact path below takes over
            }
        }
        big = exact().add(other.exact());
        return this;
    }

    /** The amount in µ$, rounded half-up. */
    long toMicros() {
        return scaledHalfUp(1, PER_MICRODOLLAR);
    }

    /**
     * {@code round_half_up(amount × factor / divisor)}, exact. Saturates at {@code Long.MAX_VALUE}
     * for absurd inputs rather than wrapping to a negative cost.
     */
    long scaledHalfUp(long factor, long divisor) {
        if (big == null) {
            try {
                long n = Math.multiplyExact(value, factor);
                return n / divisor + ((n % divisor) * 2 >= divisor ? 1 : 0);
            } catch (ArithmeticException overflow) {
                // the exact path below takes over
            }
        }
        BigInteger d = BigInteger.valueOf(divisor);
        BigInteger[] qr = exact().multiply(BigInteger.valueOf(factor)).divideAndRemainder(d);
        BigInteger rounded = qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return rounded.bitLength() < Long.SIZE ? rounded.longValue() : Long.MAX_VALUE;
    }

    private BigInteger exact() {
        return big != null ? big : BigInteger.valueOf(value);
    }
}
