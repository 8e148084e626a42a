package dev.nullspend.agent.config;

import dev.nullspend.agent.log.AgentLog;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {

    private static AgentConfig read(Map<String, String> props, Map<String, String> env, Map<String, String> file)
            throws ConfigException {
        return AgentConfig.read(new ConfigSource(props, Map.of(), env, file, "test.properties"));
    }

    private static AgentConfig props(String... kv) throws ConfigException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return read(m, Map.of(), Map.of());
    }

    @Test
    void defaultsWithoutAnySetting() throws Exception {
        AgentConfig c = props();
        assertThat(c.enabled).isTrue();
        assertThat(c.mode()).isEqualTo("local");
        assertThat(c.ledger).isEqualTo(new File("nullspend-ledger.jsonl"));
        assertThat(c.baseUrl).isEqualTo("https://nullspend.dev");
        assertThat(c.enforcement).isEqualTo(AgentConfig.Enforcement.ON);
        assertThat(c.failMode).isEqualTo(AgentConfig.FailMode.OPEN);
        assertThat(c.loopMaxCalls).isEqualTo(50);
        assertThat(c.loopWindowSeconds).isEqualTo(60);
        assertThat(c.loopAggregateMaxKeys).isEqualTo(5);
        assertThat(c.velocityWindowSeconds).isEqualTo(60);
        assertThat(c.velocityCooldownSeconds).isEqualTo(60);
        assertThat(c.logLevel).isEqualTo(AgentLog.Level.INFO);
        assertThat(c.budgetResetInterval).isEqualTo(AgentConfig.ResetInterval.NONE);
        assertThat(c.instrumentationEnabled("java-http-client")).isTrue();
        assertThat(c.tags).isEmpty();
        assertThat(c.unknownKeys).isEmpty();
    }

    @Test
    void ledgerIsOffByDefaultWhenAnApiKeyIsSet() throws Exception {
        AgentConfig c = props("nullspend.api-key", "ns_test_sk_0123");
        assertThat(c.mode()).isEqualTo("api");
        assertThat(c.ledger).isNull();
        assertThat(props("nullspend.api-key", "k", "nullspend.ledger", "/tmp/l.jsonl").ledger).isEqualTo(new File("/tmp/l.jsonl"));
        assertThat(props("nullspend.ledger", "OFF").ledger).isNull();
    }

    @Test
    void theSpoolHasADefaultPlaceAndBound() throws Exception {
        AgentConfig c = props();
        assertThat(c.spoolDir).isEqualTo(new File(System.getProperty("user.home"), ".nullspend" + File.separator + "spool"));
        assertThat(c.spoolMaxBytes).isEqualTo(64L << 20);
        AgentConfig set = props("nullspend.spool-dir", "/tmp/ns-spool", "nullspend.spool.max-mb", "5");
        assertThat(set.spoolDir).isEqualTo(new File("/tmp/ns-spool"));
        assertThat(set.spoolMaxBytes).isEqualTo(5L << 20);
        assertThatThrownBy(() -> props("nullspend.spool.max-mb", "0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nullspend.spool.max-mb");
    }

    @Test
    void precedenceIsPropertyThenArgumentThenEnvironmentThenFile() throws Exception {
        String key = "nullspend.loop.max-calls";
        Map<String, String> env = Map.of("NULLSPEND_LOOP_MAX_CALLS", "30");
        Map<String, String> file = Map.of(key, "40");
        assertThat(read(Map.of(key, "10"), env, file).loopMaxCalls).isEqualTo(10);
        assertThat(AgentConfig.read(new ConfigSource(Map.of(), Map.of(key, "20"), env, file, "f")).loopMaxCalls).isEqualTo(20);
        assertThat(read(Map.of(), env, file).loopMaxCalls).isEqualTo(30);
        assertThat(read(Map.of(), Map.of(), file).loopMaxCalls).isEqualTo(40);
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(ConfigSource.envName("nullspend.budget.limit-usd")).isEqualTo("NULLSPEND_BUDGET_LIMIT_USD");
        assertThat(ConfigSource.envName("nullspend.instrumentation.java-http-client.enabled"))
                .isEqualTo("NULLSPEND_INSTRUMENTATION_JAVA_HTTP_CLIENT_ENABLED");
    }

    @Test
    void agentArgumentsAcceptKeysWithOrWithoutPrefix() {
        assertThat(ConfigSource.parseAgentArgs("log.level=debug;nullspend.tags=a=b,c=d; bad ;=x"))
                .containsOnly(Map.entry("nullspend.log.level", "debug"), Map.entry("nullspend.tags", "a=b,c=d"));
    }

    @Test
    void dollarAmountsBecomeExactMicrodollars() throws Exception {
        assertThat(props("nullspend.budget.limit-usd", "5").budgetLimitMicros).isEqualTo(5_000_000L);
        assertThat(props("nullspend.budget.limit-usd", "$0.000001").budgetLimitMicros).isEqualTo(1L);
        assertThat(props("nullspend.session.limit-usd", "0.0000005").sessionLimitMicros).isEqualTo(1L);
        assertThat(props("nullspend.velocity.limit-usd", "12.345678").velocityLimitMicros).isEqualTo(12_345_678L);
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheOrigin() {
        assertThatThrownBy(() -> props("nullspend.budget.limit-usd", "five"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("nullspend.budget.limit-usd=\"five\" (from system property): expected a dollar amount such as 5 or 0.25");
        assertThatThrownBy(() -> props("nullspend.budget.limit-usd", "-1"))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> props("nullspend.enforcement", "maybe"))
                .hasMessage("nullspend.enforcement=\"maybe\" (from system property): expected one of on, dry-run, off");
        assertThatThrownBy(() -> props("nullspend.log.level", "loud")).hasMessageContaining("nullspend.log.level");
        assertThatThrownBy(() -> props("nullspend.loop.max-calls", "-1")).hasMessageContaining("between 0 and");
        assertThatThrownBy(() -> props("nullspend.velocity.window-seconds", "5")).hasMessageContaining("between 10 and 3600");
        assertThatThrownBy(() -> props("nullspend.trace-id", "xyz")).hasMessageContaining("32 hexadecimal");
        assertThatThrownBy(() -> props("nullspend.base-url", "ftp://x")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> props("nullspend.tags", "novalue")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> props("nullspend.tags", "bad key=1")).hasMessageContaining("tag key 'bad key'");
        assertThatThrownBy(() -> props("nullspend.instrumentation.okhttp.enabled", "perhaps")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> props("nullspend.pricing-file", "/no/such/file.json")).hasMessageContaining("no such file");
        assertThatThrownBy(() -> read(Map.of(), Map.of("NULLSPEND_ENFORCEMENT", "x"), Map.of()))
                .hasMessageContaining("(from environment variable NULLSPEND_ENFORCEMENT)");
    }

    @Test
    void valuesAreNormalised() throws Exception {
        AgentConfig c = props("nullspend.trace-id", "4BF92F3577B34DA6A3CE929D0E0E4736", "nullspend.base-url",
                "http://127.0.0.1:9/", "nullspend.enforcement", "DRY-RUN", "nullspend.tags", " team = search , env=prod ",
                "nullspend.instrumentation.okhttp.enabled", "false", "nullspend.budget.reset-interval", "monthly");
        assertThat(c.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(c.baseUrl).isEqualTo("http://127.0.0.1:9");
        assertThat(c.enforcement).isEqualTo(AgentConfig.Enforcement.DRY_RUN);
        assertThat(c.tags).containsExactly(Map.entry("team", "search"), Map.entry("env", "prod"));
        assertThat(c.instrumentationEnabled("okhttp")).isFalse();
        assertThat(c.budgetResetInterval).isEqualTo(AgentConfig.ResetInterval.MONTHLY);
    }

    @Test
    void extraProviderHosts() throws Exception {
        assertThat(props().extraHosts).isEmpty();
        AgentConfig c = props("nullspend.providers.extra-hosts",
                " openai=llm.internal.corp, Anthropic=Claude-GW.corp:8443 ,openai=10.0.0.7:8000,azure=apim.corp,"
                        + "ollama=[::1]:11435,openai=llm.internal.corp,");
        assertThat(c.extraHosts).containsExactly(
                Map.entry("openai", List.of("llm.internal.corp", "10.0.0.7:8000")),
                Map.entry("anthropic", List.of("claude-gw.corp:8443")),
                Map.entry("azure", List.of("apim.corp")),
                Map.entry("ollama", List.of("[::1]:11435")));
        assertThat(AgentConfig.read(new ConfigSource(Map.of(), Map.of(),
                Map.of("NULLSPEND_PROVIDERS_EXTRA_HOSTS", "groq=g.corp"), Map.of(), "f")).extraHosts)
                .containsExactly(Map.entry("groq", List.of("g.corp")));
    }

    @Test
    void invalidExtraProviderHostsNameTheProblem() {
        String key = "nullspend.providers.extra-hosts";
        assertThatThrownBy(() -> props(key, "bedrock=x.corp"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown provider 'bedrock', expected one of openai, azure, anthropic, google, "
                        + "mistral_ai, groq, deepseek, openrouter, ollama");
        assertThatThrownBy(() -> props(key, "llm.internal.corp")).hasMessageContaining("name=host[:port]");
        assertThatThrownBy(() -> props(key, "openai=https://llm.corp")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=llm.corp/v1")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=llm.corp:0")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=llm.corp:65536")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=[::1")).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "openai=-bad.corp")).hasMessageContaining("not a host or host:port");
    }

    @Test
    void includeUsageHosts() throws Exception {
        String key = "nullspend.providers.include-usage-hosts";
        assertThat(props().includeUsageHosts).isEmpty();
        assertThat(props(key, " My-Resource.OpenAI.Azure.com, api.groq.com,127.0.0.1:8080,api.groq.com,")
                .includeUsageHosts).containsExactly("my-resource.openai.azure.com", "api.groq.com", "127.0.0.1:8080");
        assertThatThrownBy(() -> props(key, "https://api.groq.com")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(key).hasMessageContaining("not a host or host:port");
        assertThatThrownBy(() -> props(key, "gw.corp:0")).hasMessageContaining("not a host or host:port");
    }

    @Test
    void unknownKeysAreReportedNotFatal() throws Exception {
        AgentConfig c = props("nullspend.budget.limit", "5", "nullspend.instrumentation.java-http-client.enabled", "true");
        assertThat(c.unknownKeys).containsExactly("nullspend.budget.limit");
    }

    @Test
    void aValidApiKeyIsUsedAsItIs() throws Exception {
        AgentConfig c = props("nullspend.api-key", "ns_live_sk_0123456789abcdef0123456789abcdef");
        assertThat(c.apiKey).isEqualTo("ns_live_sk_0123456789abcdef0123456789abcdef");
        assertThat(c.apiKeyProblem).isNull();
        assertThat(c.mode()).isEqualTo("api");
    }

    @Test
    void anApiKeyAnHttpHeaderCannotCarryIsRefusedWithoutShowingItAndTheEventsGoToTheLedger() throws Exception {
        String secret = "ns_live_sk_0123456789ab";
        Map<String, String> refusals = Map.of(
                secret + "\u0007cdef", "contains a control character at position 24 of 28",
                secret + "\ncdef", "contains a control character at position 24 of 28",
                secret + " cdef", "contains a blank at position 24 of 28",
                secret + "\u00a0cdef", "contains a blank at position 24 of 28",
                secret + "\u00e9cdef", "contains a non-ASCII character at position 24 of 28",
                secret + "\u007fcdef", "contains a control character at position 24 of 28");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            AgentConfig c = read(Map.of(), Map.of("NULLSPEND_API_KEY", refusal.getKey()), Map.of());
            assertThat(c.apiKey).as(refusal.getValue()).isNull();
            assertThat(c.apiKeyProblem).isEqualTo("nullspend.api-key (from environment variable NULLSPEND_API_KEY) "
                    + refusal.getValue() + "; a key is visible ASCII characters only (the value is not shown)");
            assertThat(c.mode()).isEqualTo("local");
            assertThat(c.ledger).as("no key to send with: the events go to the default ledger")
                    .isEqualTo(new File("nullspend-ledger.jsonl"));
        }
        AgentConfig longKey = props("nullspend.api-key", "k".repeat(201), "nullspend.ledger", "off");
        assertThat(longKey.apiKeyProblem).isEqualTo("nullspend.api-key (from system property) is longer than 200 "
                + "characters (the value is not shown)");
        assertThat(longKey.ledger).as("a ledger turned off for the API's sake is on again: nothing may be lost")
                .isEqualTo(new File("nullspend-ledger.jsonl"));
        assertThat(props("nullspend.api-key", "k".repeat(200)).apiKeyProblem).isNull();
        assertThat(props("nullspend.api-key", secret + "\tcdef", "nullspend.ledger", "/tmp/l.jsonl").ledger)
                .isEqualTo(new File("/tmp/l.jsonl"));
    }

    @Test
    void anInvalidBaseUrlIsReportedWithItsPasswordMasked() {
        assertThatThrownBy(() -> props("nullspend.base-url", "ftp://user:hunter22@example.com"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("nullspend.base-url=\"ftp://user:****@example.com\" (from system property): "
                        + "expected an http or https URL with a host");
    }
}
