package dev.nullspend.agent.instrumentation.apache5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.api.BudgetExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.junit.jupiter.api.Test;

class Apache5AsyncAdapterTest {

    @Test
    void aDenialFailsTheFutureAndTheCallbackWithoutRunningTheClient() {
        BudgetExceededException denial = new BudgetExceededException("api_key", "k1", 1000, 990, 20);
        List<Object> callback = new ArrayList<>();
        Object[] state = new Object[2];
        state[Apache5AsyncAdapter.DENIAL] = denial;

        Future<?> future = Apache5AsyncAdapter.end(state, new FutureCallback<Object>() {
            @Override
            public void completed(Object result) {
                callback.add("completed");
            }

            @Override
            public void failed(Exception ex) {
                callback.add(ex);
            }

            @Override
            public void cancelled() {
                callback.add("cancelled");
            }
        }, null, null);

        assertThat(callback).containsExactly(denial);
        assertThat(future.isDone()).isTrue();
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(denial);
    }

    @Test
    void aCallbackThatThrowsStillGetsAFailedFuture() {
        BudgetExceededException denial = new BudgetExceededException("api_key", "k1", 1000, 990, 20);
        Object[] state = {denial, null};

        Future<?> future = Apache5AsyncAdapter.end(state, new FutureCallback<Object>() {
            @Override
            public void completed(Object result) {
            }

            @Override
            public void failed(Exception ex) {
                throw new IllegalStateException("the program's callback broke");
            }

            @Override
            public void cancelled() {
            }
        }, null, null);

        assertThatThrownBy(future::get).hasCause(denial);
    }
}
