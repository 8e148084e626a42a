package dev.nullspend.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.guard.CallOwner;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#proxy-headers: what a call to the proxy carries, never over the program's own headers. */
class ProxyHeadersTest {
    private static final String KEY = "ns_test_sk_5eed0000000000000000000000c0ffee";
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private static Map<String, String> headers(Map<String, String> programs, String apiKey, CallOwner owner, String trace) {
        return headers(programs, apiKey, owner, trace, null);
    }

    private static Map<String, String> headers(Map<String, String> programs, String apiKey, CallOwner owner, String trace,
                                               String actionId) {
        Exchange exchange = new Exchange("POST", URI.create("https://proxy.nullspend.dev/v1/chat/completions"),
                name -> programs.get(name.toLowerCase(java.util.Locale.ROOT)), new byte[0], 0);
        RequestRewrite rewrite = ProxyHeaders.forCall(exchange, apiKey, owner, trace, actionId);
        Map<String, String> out = new LinkedHashMap<>();
        if (rewrite != null) {
            assertThat(rewrite.replacesBody()).isFalse();
            for (int i = 0; i < rewrite.headerCount(); i++) {
                out.put(rewrite.headerName(i), rewrite.headerValue(i));
            }
        }
        return out;
    }

    @Test
    void everyHeaderFromKeyTraceAndOwner() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "search");
        tags.put("_ns_estimated", "true");
        tags.put("quote", "a\"b");
        CallOwner owner = new CallOwner("sess-1", "acme", tags);

        assertThat(headers(Map.of(), KEY, owner, TRACE.toUpperCase())).containsExactly(
                Map.entry("x-nullspend-key", KEY),
                Map.entry("NullSpend-Version", "2026-04-01"),
                Map.entry("X-NullSpend-Trace-Id", TRACE),
                Map.entry("X-NullSpend-Session", "sess-1"),
                Map.entry("X-NullSpend-Customer", "acme"),
                Map.entry("X-NullSpend-Tags", "{\"quote\":\"a\\\"b\",\"team\":\"search\"}"));
    }

    @Test
    void aCallMadeForAnActionCarriesItsId() {
        String action = "ns_act_6f1c1a9e-2b5d-4f0e-9a43-0c4d2a7e9b10";
        assertThat(headers(Map.of(), null, CallOwner.NONE, null, action))
                .containsExactly(Map.entry("X-NullSpend-Action-Id", action));
        assertThat(headers(Map.of("x-nullspend-action-id", "ns_act_mine"), null, CallOwner.NONE, null, action))
                .as("the program's own header wins").isEmpty();
    }

    @Test
    void neverOverridesTheProgramsHeadersAndYieldsToATraceparent() {
        CallOwner owner = new CallOwner("sess-1", "acme", Map.of("team", "search"));
        Map<String, String> programs = Map.of("x-nullspend-session", "mine", "x-nullspend-key", "ns_live_sk_other",
                "traceparent", "00-" + TRACE + "-b7ad6b7169203331-01");

        assertThat(headers(programs, KEY, owner, TRACE)).containsExactly(
                Map.entry("NullSpend-Version", "2026-04-01"),
                Map.entry("X-NullSpend-Customer", "acme"),
                Map.entry("X-NullSpend-Tags", "{\"team\":\"search\"}"));
    }

    @Test
    void leavesOutWhatIsMissingOrCannotBeAHeader() {
        assertThat(headers(Map.of(), null, CallOwner.NONE, null)).isEmpty();
        assertThat(headers(Map.of(), null, new CallOwner("s".repeat(257), "Grüße", Map.of("_ns_dry_run", "x")), "not-hex"))
                .isEmpty();
        assertThat(headers(Map.of(), null, new CallOwner(null, null, Map.of("city", "Zürich")), null))
                .containsExactly(Map.entry("X-NullSpend-Tags", "{\"city\":\"Z\\u00FCrich\"}"));
    }
}
