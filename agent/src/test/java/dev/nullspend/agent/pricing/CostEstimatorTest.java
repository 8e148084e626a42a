package dev.nullspend.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** docs/nullspend-api-contract.md#pre-request-estimate: the proxy estimator. */
class CostEstimatorTest {
    private static final PriceTable TABLE = PriceTable.bundled();

    private static long estimate(String provider, String model, long bytes, Long maxTokens) {
        return CostEstimator.estimateMicros(TABLE.resolve(provider, model, null), bytes, maxTokens);
    }

    /** Each row: the model, the body's bytes, the requested output cap, the estimate, and why. */
    @ParameterizedTest(name = "{0}/{1}, {2} bytes, cap {3}: {5}")
    @CsvFileSource(resources = "/pricing/estimates.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
    void estimates(String provider, String model, long bytes, Long maxTokens, long micros, String why) {
        assertThat(estimate(provider, model, bytes, maxTokens)).as(why).isEqualTo(micros);
    }

    @Test
    void unknownModelReservesOneDollar() {
        assertThat(CostEstimator.estimateMicros(null, 200, 100L)).isEqualTo(1_000_000);
    }
}
