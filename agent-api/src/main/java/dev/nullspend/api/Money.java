package dev.nullspend.api;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Conversions between dollars and integer microdollars (1 USD = 1,000,000 µ$). */
public final class Money {
    private static final BigDecimal MICROS_PER_USD = BigDecimal.valueOf(1_000_000L);

    private Money() {
    }

    /**
     * Converts a dollar amount to microdollars, rounded half-up once. The value goes through its
     * decimal text ({@link Double#toString}), so {@code 0.00397} gives 3,970, not the 3,969 of a
     * truncating {@code (long) (d * 1e6)}.
     */
    public static long toMicros(double usd) {
        if (Double.isNaN(usd) || Double.isInfinite(usd)) {
            throw new IllegalArgumentException("not a finite dollar amount: " + usd);
        }
        return toMicros(new BigDecimal(Double.toString(usd)));
    }

    /** Converts a decimal dollar amount to microdollars, rounded half-up once. */
    public static long toMicros(BigDecimal usd) {
        return usd.multiply(MICROS_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * Formats microdollars as dollars for people: at least two decimals, and as many more (up to
     * six, the microdollar) as the amount needs, so that no digit of it is lost ({@code 4580000 ->
     * "$4.58"}, {@code 12500000 -> "$12.50"}, {@code 4000 -> "$0.004"}, {@code 3150 -> "$0.00315"},
     * {@code 1 -> "$0.000001"}, {@code -4000 -> "-$0.004"}); no thousands separators. Every amount
     * the agent shows a person goes through here.
     */
    public static String usd(long microdollars) {
        BigDecimal d = BigDecimal.valueOf(microdollars, 6).stripTrailingZeros();
        if (d.scale() < 2) {
            d = d.setScale(2, RoundingMode.UNNECESSARY);
        }
        return d.signum() < 0 ? "-$" + d.negate().toPlainString() : "$" + d.toPlainString();
    }
}
