package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call enqueued inside a scope is begun on another thread with that scope's attribution, once. */
class EnqueuedAttributionTest {

    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        dispatcher.shutdownNow();
    }

    /** The attribution the dispatcher thread sees while it begins {@code call}, then after it closed the scope. */
    private List<Attribution> runOnDispatcher(Object call) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            Attribution.Scope scope = EnqueuedAttribution.resume(call);
            Attribution during = Attribution.current();
            if (scope != null) {
                scope.close();
            }
            return List.of(during, Attribution.current());
        }, dispatcher).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theDispatcherThreadBeginsTheCallWithTheScopeItWasEnqueuedIn() throws Exception {
        Object call = new Object();
        try (Attribution.Scope outer = NullSpend.attribute().session("s-1").tag("team", "search").open();
             Attribution.Scope inner = NullSpend.attribute().customer("acme-corp")
                     .traceId("0123456789abcdef0123456789abcdef").tag("step", "plan").actionId("ns_act_9").open()) {
            EnqueuedAttribution.remember(call);
        }

        List<Attribution> seen = runOnDispatcher(call);

        Attribution during = seen.get(0);
        assertThat(during.sessionId()).isEqualTo("s-1");
        assertThat(during.customer()).isEqualTo("acme-corp");
        assertThat(during.traceId()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(during.tags()).isEqualTo(Map.of("team", "search", "step", "plan"));
        assertThat(during.actionId()).as("a proposeAndWait task's enqueue() keeps the action").isEqualTo("ns_act_9");
        assertThat(seen.get(1).isEmpty()).as("closed again once the call has begun").isTrue();
        assertThat(runOnDispatcher(call).get(0).isEmpty()).as("resumed once only").isTrue();
    }

    @Test
    void aCallEnqueuedOutsideAnyScopeHasNothingToResume() {
        Object call = new Object();
        EnqueuedAttribution.remember(call);
        assertThat(EnqueuedAttribution.resume(call)).isNull();
    }
}
