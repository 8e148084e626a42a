package dev.nullspend.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.log.CapturedLog;
import dev.nullspend.api.NullSpendException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which requests get their body read ahead ({@link CallTargets#readsBody}: the path decides, nothing
 * else is read), and what happens to a body not read whole ({@link UnreadBodies}): logged once per
 * cause, counted, denied only with fail-mode closed, never for a failed body.
 */
class UnreadBodiesTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog(UnreadBodies::reset);

    private static AgentConfig config(String... pairs) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("nullspend.ledger", "off"));
        for (int i = 0; i < pairs.length; i += 2) {
            props.put(pairs[i], pairs[i + 1]);
        }
        return AgentConfig.read(new ConfigSource(props, Map.of(), Map.of(), Map.of(), "test"));
    }

    @Test
    void onlyRequestsToAnLlmApisPathHaveTheirBodyReadAhead() throws Exception {
        CallTargets targets = CallTargets.of(config("nullspend.proxy-url", "https://proxy.example"));

        assertThat(targets.readsBody("POST", URI.create("http://127.0.0.1:8080/v1/chat/completions"), Headers.NONE)).isTrue();
        assertThat(targets.readsBody("POST", URI.create("https://api.openai.com/v1/chat/completions"), Headers.NONE)).isTrue();
        assertThat(targets.readsBody("POST", URI.create("http://gateway.local/anthropic/v1/messages"), Headers.NONE)).isTrue();
        assertThat(targets.readsBody("POST", URI.create("http://127.0.0.1:8080/echo"), Headers.NONE)).isFalse();
        assertThat(targets.readsBody("GET", URI.create("http://127.0.0.1:8080/v1/chat/completions"), Headers.NONE)).isFalse();
        assertThat(targets.readsBody("POST", URI.create("https://proxy.example/v1/chat/completions"), Headers.NONE))
                .as("the proxy costs its calls itself").isFalse();
        assertThat(targets.readsBody("POST", URI.create("https://nullspend.dev/v1/chat/completions"), Headers.NONE))
                .as("the agent's own traffic").isFalse();
    }

    @Test
    void withFailModeOpenEachCauseIsLoggedOnceAndEveryBodyCounted() throws Exception {
        AgentConfig open = config();
        for (int i = 0; i < 3; i++) {
            UnreadBodies.report(open, "java.net.http", UnreadBodies.Cause.OVER_CAP, chat());
        }
        UnreadBodies.report(open, "java.net.http", UnreadBodies.Cause.SLOW, chat());

        assertThat(log.text().lines().toList()).containsExactly(
                "[nullspend] WARN the request body of a possible LLM call (POST gateway.local/v1/chat/completions,"
                        + " java.net.http) was larger than 4 MiB: such calls go on with the program's bytes, costed only if"
                        + " recognised from what was read (counted in the summary)",
                "[nullspend] WARN the request body of a possible LLM call (POST gateway.local/v1/chat/completions,"
                        + " java.net.http) was not complete within nullspend.request-body.wait-ms: such calls go on with the"
                        + " program's bytes, costed only if recognised from what was read (counted in the summary)");
        assertThat(UnreadBodies.summaryLine()).isEqualTo("4 request bodies of possible LLM calls could not be read whole"
                + " before sending: 3 larger than 4 MiB, 1 not complete within nullspend.request-body.wait-ms");
    }

    @Test
    void failModeClosedDeniesABodyNotReadWholeButNotAFailedOne() throws Exception {
        AgentConfig closed = config("nullspend.fail-mode", "closed");

        NullSpendException denial = catchThrowableOfType(NullSpendException.class,
                () -> UnreadBodies.report(closed, "java.net.http", UnreadBodies.Cause.SLOW, chat()));
        UnreadBodies.report(closed, "java.net.http", UnreadBodies.Cause.FAILED, chat());
        UnreadBodies.report(config("nullspend.fail-mode", "closed", "nullspend.enforcement", "dry-run"), "java.net.http",
                UnreadBodies.Cause.OVER_CAP, chat());

        assertThat(denial.code()).isEqualTo("budget_unavailable");
        assertThat(denial.getMessage()).isEqualTo("Request body unread: the NullSpend agent could not read this call's"
                + " request body before sending (not complete within nullspend.request-body.wait-ms), so it cannot check"
                + " it, and nullspend.fail-mode=closed denies LLM calls it cannot check.");
        assertThat(UnreadBodies.summaryLine()).isEqualTo("3 request bodies of possible LLM calls could not be read whole"
                + " before sending: 1 larger than 4 MiB, 1 failed while it was read, 1 not complete within"
                + " nullspend.request-body.wait-ms");
    }

    private static Exchange chat() {
        return new Exchange("POST", URI.create("http://gateway.local/v1/chat/completions"), Headers.NONE,
                Exchange.BodySource.NONE, -1);
    }
}
