package dev.nullspend.it.support;

import dev.nullspend.it.fake.FakeUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * What an OpenAI chat completion must cost, computed independently of the agent: exact
 * {@link BigDecimal} arithmetic on $/MTok prices (1 $/MTok = 1 µ$ per token), one HALF_UP rounding
 * for the total.
 *
 * <p>Breakdown (docs/providers/README.md#usage-record): {@code input} = uncached input, {@code cached} = cache reads,
 * {@code output} = all completion tokens (reasoning included); each part rounded HALF_UP, then the
 * residual (total − Σ parts) goes to the largest part, ties in the order output, input, cached, so the
 * parts add up to the total. {@code reasoning} = round(reasoning × output rate), informational only.
 *
 * @param total     {@code costMicrodollars}
 * @param input     {@code costBreakdown.input}
 * @param cached    {@code costBreakdown.cached}
 * @param output    {@code costBreakdown.output}
 * @param reasoning {@code costBreakdown.reasoning}
 */
public record ExpectedCost(long total, long input, long cached, long output, long reasoning) {

    /** $/MTok: input, cached input, output. The contract's table; independent of the agent's price file. */
    private record Rates(BigDecimal input, BigDecimal cached, BigDecimal output) {
        static Rates of(String input, String cached, String output) {
            return new Rates(new BigDecimal(input), new BigDecimal(cached), new BigDecimal(output));
        }
    }

    private static final Map<String, Rates> OPENAI = Map.of(
            "gpt-4o", Rates.of("2.50", "1.25", "10"),
            "gpt-4o-mini", Rates.of("0.15", "0.075", "0.60"),
            "o3", Rates.of("2", "0.50", "8"));

    /** The cost of {@code usage} on an OpenAI chat model of the table (gpt-4o, gpt-4o-mini, o3). */
    public static ExpectedCost openAiChat(String model, FakeUsage usage) {
        Rates rates = OPENAI.get(model);
        if (rates == null) {
            throw new IllegalArgumentException("no test price for " + model);
        }
        BigDecimal input = BigDecimal.valueOf(usage.promptTokens() - usage.cachedTokens()).multiply(rates.input());
        BigDecimal cached = BigDecimal.valueOf(usage.cachedTokens()).multiply(rates.cached());
        BigDecimal output = BigDecimal.valueOf(usage.completionTokens()).multiply(rates.output());
        BigDecimal reasoning = BigDecimal.valueOf(usage.reasoningTokens()).multiply(rates.output());
        long total = round(input.add(cached).add(output));

        long inputPart = round(input);
        long cachedPart = round(cached);
        long outputPart = round(output);
        long residual = total - (inputPart + cachedPart + outputPart);
        long largest = Math.max(outputPart, Math.max(inputPart, cachedPart));
        if (outputPart == largest) {
            outputPart += residual;
        } else if (inputPart == largest) {
            inputPart += residual;
        } else {
            cachedPart += residual;
        }
        return new ExpectedCost(total, inputPart, cachedPart, outputPart, round(reasoning));
    }

    /**
     * The agent's pre-request estimate of an OpenAI chat call on a model of the table (docs/nullspend-api-contract.md#pre-request-estimate):
     * ⌈body bytes / 4⌉ input tokens and {@code maxTokens} output tokens at the model's rates, × 1.1, rounded
     * half up once.
     */
    public static long openAiEstimate(String model, int bodyBytes, long maxTokens) {
        Rates rates = OPENAI.get(model);
        if (rates == null) {
            throw new IllegalArgumentException("no test price for " + model);
        }
        long inputTokens = (bodyBytes + 3) / 4;
        BigDecimal atRates = BigDecimal.valueOf(inputTokens).multiply(rates.input())
                .add(BigDecimal.valueOf(maxTokens).multiply(rates.output()));
        return round(atRates.multiply(new BigDecimal("1.1")));
    }

    /**
     * Dollars as the agent's messages print amounts: every digit down to the microdollar, at least two
     * decimals ({@code 15_070 → "$0.01507"}, {@code 4_000 → "$0.004"}, {@code 30_000 → "$0.03"}).
     */
    public static String usd(long microdollars) {
        BigDecimal d = BigDecimal.valueOf(microdollars, 6).stripTrailingZeros();
        return "$" + (d.scale() < 2 ? d.setScale(2, RoundingMode.UNNECESSARY) : d).toPlainString();
    }

    private static long round(BigDecimal microdollars) {
        return microdollars.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
