package dev.nullspend.agent.exchange;

import dev.nullspend.api.BudgetExceededException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class NullSpendDeniedIOExceptionTest {
    private final BudgetExceededException denial = new BudgetExceededException("api_key", "k", 5_000_000L, 5_000_000L, 10L);

    @Test
    void carriesTheDenialAsItsCauseWithItsMessage() {
        NullSpendDeniedIOException carrier = new NullSpendDeniedIOException(denial);

        assertThat(carrier).isInstanceOf(IOException.class).hasMessage(denial.getMessage());
        assertThat(carrier.getCause()).isSameAs(denial);
    }

    @Test
    void unwrapFindsTheDenialAlsoWhenOkHttpWrappedTheCarrier() {
        // OkHttp wraps a failure in InterruptedIOException("timeout") when the call timed out meanwhile.
        InterruptedIOException timeout = new InterruptedIOException("timeout");
        timeout.initCause(new NullSpendDeniedIOException(denial));

        assertThat(NullSpendDeniedIOException.unwrap(new NullSpendDeniedIOException(denial))).isSameAs(denial);
        assertThat(NullSpendDeniedIOException.unwrap(timeout)).isSameAs(denial);
    }

    @Test
    void unwrapLeavesEveryOtherFailureAsItIs() {
        IOException reset = new IOException("connection reset", new IllegalStateException());

        assertThat(NullSpendDeniedIOException.unwrap(reset)).isSameAs(reset);
    }
}
