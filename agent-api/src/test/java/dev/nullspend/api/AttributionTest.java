package dev.nullspend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scopes nest: an inner value wins, tags merge, closing restores the scope before. */
class AttributionTest {

    @Test
    void innerValuesWinTagsMergeAndClosingRestores() {
        assertThat(Attribution.current().isEmpty()).isTrue();
        try (Attribution.Scope outer = NullSpend.attribute().session("s-1").customer("acme").tag("team", "search").open()) {
            try (Attribution.Scope inner = NullSpend.attribute().customer("globex").tag("feature", "chat")
                    .actionId("ns_act_1").open()) {
                Attribution a = Attribution.current();
                assertThat(a.sessionId()).isEqualTo("s-1");
                assertThat(a.customer()).isEqualTo("globex");
                assertThat(a.tags()).containsExactly(Map.entry("team", "search"), Map.entry("feature", "chat"));
                assertThat(a.actionId()).isEqualTo("ns_act_1");
            }
            assertThat(Attribution.current().customer()).isEqualTo("acme");
            assertThat(Attribution.current().actionId()).isNull();
        }
        assertThat(Attribution.current().isEmpty()).isTrue();
    }

    @Test
    void aCapturedAttributionOpensWholeOnAnotherThread() throws Exception {
        Attribution captured;
        try (Attribution.Scope scope = NullSpend.attribute().session("s-2").customer("acme")
                .traceId("0123456789abcdef0123456789abcdef").tag("team", "search").actionId("ns_act_3").open()) {
            captured = Attribution.current();
        }
        Attribution[] seen = new Attribution[2];
        Thread other = new Thread(() -> {
            try (Attribution.Scope scope = NullSpend.attribute().session("theirs").open()) {
                try (Attribution.Scope resumed = captured.open()) {
                    seen[0] = Attribution.current();
                }
                seen[1] = Attribution.current();
            }
        });
        other.start();
        other.join();

        assertThat(seen[0]).as("exactly the captured attribution, every field").isSameAs(captured);
        assertThat(seen[0].actionId()).isEqualTo("ns_act_3");
        assertThat(seen[1].sessionId()).as("closing restores the thread's own").isEqualTo("theirs");
    }

    @Test
    void anActionIdAloneIsAnAttributionAndIsNeverBlank() {
        try (Attribution.Scope scope = NullSpend.attribute().actionId("ns_act_2").open()) {
            assertThat(Attribution.current().isEmpty()).isFalse();
        }
        assertThatThrownBy(() -> NullSpend.attribute().actionId(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
