package dev.nullspend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In a JVM without the agent (no backend installed): tracking is a no-op, API calls say what is missing. */
class NullSpendWithoutAgentTest {

    @Test
    void trackingIsANoOp() {
        assertThat(NullSpend.isActive()).isFalse();
        assertThat(NullSpend.track("result", 0.02, "search")).isEqualTo("result");
        assertThat(NullSpend.newEvent()).isNull();
        NullSpend.report(null);
    }

    @Test
    void everyApiCallThrowsAgentNotRunning() {
        for (Runnable call : new Runnable[] {NullSpend::budgetStatus, NullSpend::budgets,
                () -> NullSpend.costSummary("30d"), () -> NullSpend.getAction("ns_act_1"),
                () -> NullSpend.createAction("bot", "http_post", Map.of(), null, null),
                () -> NullSpend.markResult("ns_act_1", "executing", null, null),
                () -> NullSpend.waitForDecision("ns_act_1"),
                () -> NullSpend.proposeAndWait("bot", "http_post", Map.of(), id -> "never"),
                () -> NullSpend.requestBudgetIncrease("bot", 1_000_000, "more")}) {
            NullSpendException e = catchThrowableOfType(call::run, NullSpendException.class);

            assertThat(e.code()).isEqualTo("agent_not_running");
            assertThat(e.getMessage()).contains("-javaagent:nullspend-agent.jar", "nullspend.api-key");
        }
        assertThat(catchThrowableOfType(NullSpend::budgets, NullSpendException.class)).hasMessage(
                "NullSpend.budgets() calls the NullSpend API through the NullSpend agent, which is not running in "
                        + "this JVM: start it with -javaagent:nullspend-agent.jar and set nullspend.api-key (or "
                        + "NULLSPEND_API_KEY)");
    }

    @Test
    void badArgumentsAreRefusedFirst() {
        assertThatThrownBy(() -> NullSpend.costSummary("1y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be 7d, 30d or 90d, got 1y");
        assertThatThrownBy(() -> NullSpend.waitForDecision("ns_act_1", Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NullSpend.proposeAndWait("bot", "http_post", Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
