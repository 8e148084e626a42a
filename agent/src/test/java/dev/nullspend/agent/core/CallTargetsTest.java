package dev.nullspend.agent.core;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static dev.nullspend.agent.provider.TestExchanges.withUntouchableBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.unseen.UnseenTraffic;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Recognition says when a request may be an LLM call it cannot tell: an unreadable body on an LLM path, on an unknown host. */
class CallTargetsTest {

    private static final CallTargets TARGETS = CallTargets.of(AgentConfig.read(new ConfigSource(
            Map.of("nullspend.ledger", "off", "nullspend.providers.extra-hosts", "openai=llm.corp"),
            Map.of(), Map.of(), Map.of(), "test")));

    /** Causes counted here would show in the exit summaries other tests of this JVM assert. */
    @AfterEach
    void forgetTheCauses() {
        UnseenTraffic.reset();
    }

    @Test
    void anUnreadableBodyOnAnLlmPathToAnUnknownHostIsCountedOnceAsNotCosted() {
        long before = UnseenTraffic.total();

        assertThat(TARGETS.recognize(post("https://gw.example/v1/chat/completions", null))).isNull();
        assertThat(TARGETS.recognize(post("https://gw.example/v1/chat/completions", null))).isNull();

        assertThat(UnseenTraffic.total() - before).isEqualTo(2);
        assertThat(UnseenTraffic.summaryLines()).contains("not costed: 2 calls to gw.example through org.junit"
                + " (request body unreadable: a streamed or one-shot body; host unknown)");
    }

    @Test
    void aKnownHostAReadableBodyOrAnotherPathIsNoGap() {
        long before = UnseenTraffic.total();

        assertThat(TARGETS.recognize(post("https://llm.corp/v1/chat/completions", null)).provider()).isEqualTo("openai");
        assertThat(TARGETS.recognize(post("https://api.openai.com/v1/chat/completions", null)).provider()).isEqualTo("openai");
        assertThat(TARGETS.recognize(post("https://gw.example/v1/chat/completions", "{\"not\":\"a chat\"}"))).isNull();
        assertThat(TARGETS.recognize(withUntouchableBody("POST", "https://gw.example/v1/users"))).isNull();

        assertThat(UnseenTraffic.total() - before).isZero();
    }
}
