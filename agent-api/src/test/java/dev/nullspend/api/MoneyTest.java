package dev.nullspend.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void everyAmountKeepsItsDigitsWithAtLeastTwoDecimals() {
        assertThat(Money.usd(4_000)).isEqualTo("$0.004");
        assertThat(Money.usd(3_150)).isEqualTo("$0.00315");
        assertThat(Money.usd(12_500_000)).isEqualTo("$12.50");
        assertThat(Money.usd(1)).isEqualTo("$0.000001");
        assertThat(Money.usd(0)).isEqualTo("$0.00");
        assertThat(Money.usd(4_580_000)).isEqualTo("$4.58");
        assertThat(Money.usd(5_000_000)).isEqualTo("$5.00");
        assertThat(Money.usd(10_000)).isEqualTo("$0.01");
        assertThat(Money.usd(180_362)).isEqualTo("$0.180362");
        assertThat(Money.usd(4_581_234)).isEqualTo("$4.581234");
        assertThat(Money.usd(1_234_567_000_000L)).isEqualTo("$1234567.00");
        assertThat(Money.usd(-4_000)).isEqualTo("-$0.004");
        assertThat(Money.usd(-2_500_000)).isEqualTo("-$2.50");
        assertThat(Money.usd(Long.MAX_VALUE)).isEqualTo("$9223372036854.775807");
    }

    @Test
    void denialMessagesShowSmallBudgetsReadably() {
        assertThat(new BudgetExceededException("api_key", "k1", 4_000, 2_700, 1_328).getMessage()).isEqualTo(
                "Budget exceeded. $0.0013 remaining (limit: $0.004, spent: $0.0027) on api_key/k1; this call could cost"
                        + " up to $0.001328. Increase at https://nullspend.dev/app/budgets or wait for the next period."
                        + " See https://nullspend.dev/docs/errors/budget-exceeded");
    }
}
