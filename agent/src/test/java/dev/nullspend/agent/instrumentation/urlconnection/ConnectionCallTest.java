package dev.nullspend.agent.instrumentation.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.exchange.NullSpendDeniedIOException;
import dev.nullspend.agent.exchange.RecordingSink;
import dev.nullspend.api.BudgetExceededException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One connection, one call: who exchanges, what every later call gets, the same streams each time. */
class ConnectionCallTest {

    @Test
    void theFirstCallExchangesCallsNestedInItDoNothingAndLaterCallsFollow() throws Exception {
        ConnectionCall state = new ConnectionCall();

        assertThat(state.enter()).as("the first call").isSameAs(state);
        assertThat(state.enter()).as("nested in it, same thread").isNull();
        AtomicReference<Object> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                other.set(state.enter());
                other.set(new Object[] {other.get(), state.exchanged()});
            } catch (IOException e) {
                other.set(e);
            }
        });
        t.start();
        t.join();
        assertThat((Object[]) other.get()).as("another thread follows, never exchanges").containsExactly(state, false);
        assertThat(state.exchanged()).isTrue();
        assertThat(state.exchanged()).as("once").isFalse();
        assertThat(state.enter()).as("a later call follows").isSameAs(state);
        assertThat(state.exchanged()).isFalse();
    }

    @Test
    void aDenialIsThrownAgainByEveryLaterCall() {
        ConnectionCall state = new ConnectionCall();
        NullSpendDeniedIOException carrier = new NullSpendDeniedIOException(
                new BudgetExceededException("user", "process", 100, 90, 50, "Budget exceeded."));
        state.deny(carrier);

        assertThatThrownBy(state::enter).isSameAs(carrier);
        assertThatThrownBy(state::enter).isSameAs(carrier);
        assertThat(carrier.getCause()).isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void theProgramGetsTheSameTeedStreamForTheSameJdkStreamAndTheSinkEveryByte() throws IOException {
        ConnectionCall state = new ConnectionCall();
        InputStream raw = new ByteArrayInputStream("data: {}\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(state.input(raw)).as("no sink yet (not an LLM response): the JDK's own").isSameAs(raw);
        RecordingSink sink = new RecordingSink();
        state.respond(sink, null);

        InputStream teed = state.input(raw);
        assertThat(state.input(raw)).isSameAs(teed);
        byte[] read = teed.readAllBytes();

        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("data: {}\n\n");
        assertThat(sink.text()).isEqualTo("data: {}\n\n");
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void anAnswerReadAheadIsGivenBackFirstOnTheErrorStreamOnce() throws IOException {
        ConnectionCall state = new ConnectionCall();
        InputStream raw = new ByteArrayInputStream("-rest".getBytes(StandardCharsets.UTF_8));
        assertThat(state.errorStream(raw)).as("nothing read ahead").isSameAs(raw);
        state.readAhead("ahead".getBytes(StandardCharsets.UTF_8));

        InputStream error = state.errorStream(raw);
        assertThat(state.errorStream(raw)).isSameAs(error);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        error.transferTo(all);

        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("ahead-rest");
    }
}
