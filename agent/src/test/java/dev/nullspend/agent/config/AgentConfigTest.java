package dev.nullspend.agent.config;

import dev.nullspend.agent.log.AgentLog;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentConfigTest {

    private static AgentConfig read(Map<String, String> props, Map<String, String> env, Map<String, String> file) {
        return AgentConfig.read(new ConfigSource(props, Map.of(), env, file, "test.properties"));
    }

    /** The message of the one invalid value of {@code config}. */
    private static String problem(AgentConfig config) {
        assertThat(config.invalid).hasSize(1);
        return config.invalid.get(0).getMessage();
    }

    private static AgentConfig props(String... kv) {
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
        AgentConfig zero = props("nullspend.spool.max-mb", "0");
        assertThat(problem(zero)).isEqualTo("nullspend.spool.max-mb=\"0\" (from system property): must be between 1 and"
                + " 100000; using 64 instead");
        assertThat(zero.spoolMaxBytes).isEqualTo(64L << 20);
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
        assertThat(problem(props("nullspend.budget.limit-usd", "five")))
                .isEqualTo("nullspend.budget.limit-usd=\"five\" (from system property): expected a dollar amount such as"
                        + " 5 or 0.25; ignored");
        assertThat(problem(props("nullspend.budget.limit-usd", "-1"))).contains("must not be negative; ignored");
        assertThat(problem(props("nullspend.enforcement", "maybe")))
                .isEqualTo("nullspend.enforcement=\"maybe\" (from system property): expected one of on, dry-run, off;"
                        + " using on instead");
        assertThat(problem(props("nullspend.log.level", "loud"))).contains("nullspend.log.level");
        assertThat(problem(props("nullspend.loop.max-calls", "-1"))).contains("between 0 and");
        assertThat(problem(props("nullspend.velocity.window-seconds", "5"))).contains("between 10 and 3600");
        assertThat(problem(props("nullspend.trace-id", "xyz"))).contains("32 hexadecimal");
        assertThat(problem(props("nullspend.base-url", "ftp://x"))).contains("http or https");
        assertThat(problem(props("nullspend.tags", "novalue"))).contains("key=value");
        assertThat(problem(props("nullspend.tags", "bad key=1"))).contains("tag key 'bad key'");
        assertThat(problem(props("nullspend.instrumentation.okhttp.enabled", "perhaps"))).contains("true or false");
        assertThat(problem(props("nullspend.pricing-file", "/no/such/file.json"))).contains("no such file");
        assertThat(problem(read(Map.of(), Map.of("NULLSPEND_ENFORCEMENT", "x"), Map.of())))
                .contains("(from environment variable NULLSPEND_ENFORCEMENT)");
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
        assertThat(problem(props(key, "vertex=x.corp")))
                .contains("unknown provider 'vertex', expected one of openai, azure, anthropic, google, "
                        + "mistral_ai, groq, deepseek, openrouter, ollama, bedrock");
        assertThat(problem(props(key, "llm.internal.corp"))).contains("name=host[:port]");
        assertThat(problem(props(key, "openai=https://llm.corp"))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai=llm.corp/v1"))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai=llm.corp:0"))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai=llm.corp:65536"))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai="))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai=[::1"))).contains("not a host or host:port");
        assertThat(problem(props(key, "openai=-bad.corp"))).contains("not a host or host:port");
    }

    @Test
    void bedrockProfilesMapProfileArnsAndIdsToModels() {
        String key = "nullspend.providers.bedrock-profiles";
        assertThat(props().bedrockProfiles).isEmpty();
        assertThat(props("nullspend.providers.extra-hosts", "bedrock=vpce-1.bedrock-runtime.corp").extraHosts)
                .containsExactly(Map.entry("bedrock", List.of("vpce-1.bedrock-runtime.corp")));
        AgentConfig c = props(key, " a1b2c3d4 = us.anthropic.claude-sonnet-4-5-20250929-v1:0 ,"
                + "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/z9=amazon.nova-pro-v1:0,");
        assertThat(c.invalid).isEmpty();
        assertThat(c.bedrockProfiles).containsExactly(
                Map.entry("a1b2c3d4", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                Map.entry("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/z9", "amazon.nova-pro-v1:0"));
        for (String bad : new String[] {"a1b2c3d4", "=amazon.nova-pro-v1:0", "a1b2c3d4=", "a b=m", "p=model with space"}) {
            AgentConfig invalid = props(key, bad);
            assertThat(problem(invalid)).as(bad).contains(key).contains("expected profile=model pairs");
            assertThat(invalid.bedrockProfiles).isEmpty();
            assertThat(invalid.invalidLimitKeys()).containsExactly(key);
        }
    }

    @Test
    void includeUsageHosts() throws Exception {
        String key = "nullspend.providers.include-usage-hosts";
        assertThat(props().includeUsageHosts).isEmpty();
        assertThat(props(key, " My-Resource.OpenAI.Azure.com, api.groq.com,127.0.0.1:8080,api.groq.com,")
                .includeUsageHosts).containsExactly("my-resource.openai.azure.com", "api.groq.com", "127.0.0.1:8080");
        assertThat(problem(props(key, "https://api.groq.com")))
                .contains(key).contains("not a host or host:port");
        assertThat(problem(props(key, "gw.corp:0"))).contains("not a host or host:port");
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
        assertThat(problem(props("nullspend.base-url", "ftp://user:hunter22@example.com")))
                .startsWith("nullspend.base-url=\"ftp://user:****@example.com\" (from system property): "
                        + "expected an http or https URL with a host");
    }

    @Test
    void everyInvalidValueIsNamedOnceAndTheValidLimitsAreKept() {
        String secret = "ns_live_sk_" + "x".repeat(200);
        AgentConfig c = props(
                "nullspend.api-key", secret,
                "nullspend.budget.limit-usd", "0.004",
                "nullspend.velocity.limit-usd", "abc",
                "nullspend.session.limit-usd", "$1.25",
                "nullspend.loop.window-seconds", "0",
                "nullspend.loop.max-calls", "7",
                "nullspend.tags", "novalue",
                "nullspend.log.level", "loud",
                "nullspend.reporter.batch-size", "500");
        assertThat(c.invalid).extracting(ConfigException::key).containsExactly("nullspend.api-key",
                "nullspend.velocity.limit-usd", "nullspend.loop.window-seconds", "nullspend.tags",
                "nullspend.log.level", "nullspend.reporter.batch-size");
        assertThat(c.invalid).extracting(ConfigException::getMessage).containsExactly(
                "nullspend.api-key=(value hidden) (from system property): longer than 200 characters; ignored",
                "nullspend.velocity.limit-usd=\"abc\" (from system property): expected a dollar amount such as 5 or 0.25;"
                        + " ignored",
                "nullspend.loop.window-seconds=\"0\" (from system property): must be between 1 and 86400; using 60 instead",
                "nullspend.tags=\"novalue\" (from system property): expected key=value pairs separated by commas, got"
                        + " 'novalue'; ignored",
                "nullspend.log.level=\"loud\" (from system property): expected one of debug, info, warn, error, off;"
                        + " using info instead",
                "nullspend.reporter.batch-size=\"500\" (from system property): must be between 1 and 100; using 100"
                        + " instead");
        assertThat(c.invalidLimitKeys()).containsExactly("nullspend.api-key", "nullspend.velocity.limit-usd",
                "nullspend.loop.window-seconds", "nullspend.tags");
        // every valid value is kept, every invalid one has its fallback
        assertThat(c.budgetLimitMicros).isEqualTo(4_000L);
        assertThat(c.sessionLimitMicros).isEqualTo(1_250_000L);
        assertThat(c.loopMaxCalls).isEqualTo(7);
        assertThat(c.velocityLimitMicros).isNull();
        assertThat(c.loopWindowSeconds).isEqualTo(60);
        assertThat(c.apiKey).isNull();
        assertThat(c.tags).isEmpty();
        assertThat(c.logLevel).isEqualTo(AgentLog.Level.INFO);
        assertThat(c.reporterBatchSize).isEqualTo(100);
        assertThat(c.enabled).isTrue();
        assertThat(c.failMode).isEqualTo(AgentConfig.FailMode.OPEN);
    }

    @Test
    void invalidValuesAreLoggedOnceEachWithWhatTheyMeanForCalls() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        AgentLog.setOutput(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            props("nullspend.velocity.limit-usd", "abc", "nullspend.summary", "maybe").logInvalid();
            props("nullspend.velocity.limit-usd", "abc", "nullspend.fail-mode", "closed").logInvalid();
        } finally {
            AgentLog.setOutput(System.err);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")).containsExactly(
                "[nullspend] ERROR invalid setting nullspend.velocity.limit-usd=\"abc\" (from system property): expected"
                        + " a dollar amount such as 5 or 0.25; ignored",
                "[nullspend] WARN invalid setting nullspend.summary=\"maybe\" (from system property): expected true or"
                        + " false; using true instead",
                "[nullspend] ERROR invalid limit settings (nullspend.velocity.limit-usd): tracking stays on and every"
                        + " valid limit is still enforced (nullspend.fail-mode=open; closed would deny LLM calls until"
                        + " they are fixed)",
                "[nullspend] ERROR invalid setting nullspend.velocity.limit-usd=\"abc\" (from system property): expected"
                        + " a dollar amount such as 5 or 0.25; ignored",
                "[nullspend] ERROR invalid limit settings (nullspend.velocity.limit-usd) and nullspend.fail-mode=closed:"
                        + " every LLM call is denied (code config_invalid) until they are fixed; tracking stays on");
    }

    @Test
    void anInvalidFailModeIsReadAsClosedAndIsNotALimitSetting() {
        AgentConfig c = props("nullspend.fail-mode", "opne");
        assertThat(c.failMode).isEqualTo(AgentConfig.FailMode.CLOSED);
        assertThat(problem(c)).isEqualTo("nullspend.fail-mode=\"opne\" (from system property): expected one of open,"
                + " closed; using closed instead");
        assertThat(c.invalidLimitKeys()).isEmpty();
    }

    @Test
    void anUnreadableConfigFileIsAnInvalidLimitSettingAndTheOtherSourcesStillApply() {
        System.setProperty("nullspend.config-file", "/no/such/nullspend.properties");
        System.setProperty("nullspend.budget.limit-usd", "2");
        try {
            AgentConfig c = AgentConfig.read(ConfigSource.fromRuntime("loop.max-calls=9"));
            assertThat(c.budgetLimitMicros).isEqualTo(2_000_000L);
            assertThat(c.loopMaxCalls).isEqualTo(9);
            assertThat(c.invalidLimitKeys()).containsExactly("nullspend.config-file");
            assertThat(problem(c)).startsWith("nullspend.config-file=\"/no/such/nullspend.properties\" (from system"
                    + " property): cannot read the file (").endsWith("); ignored, the other sources apply");
        } finally {
            System.clearProperty("nullspend.config-file");
            System.clearProperty("nullspend.budget.limit-usd");
        }
    }

    @Test
    void whatInvalidLimitSettingsMeanDependsOnFailModeAndEnforcement() {
        List<String> names = List.of("nullspend.tags", "nullspend.budgets-file");
        assertThat(props("nullspend.fail-mode", "closed", "nullspend.enforcement", "dry-run")
                .invalidLimitsConsequence(names)).isEqualTo("invalid limit settings (nullspend.tags, nullspend.budgets-file)"
                + " and nullspend.fail-mode=closed: every LLM call would be denied (code config_invalid) until they are"
                + " fixed; nullspend.enforcement=dry-run logs it and lets the call go on");
        assertThat(props("nullspend.fail-mode", "closed", "nullspend.enforcement", "off").invalidLimitsConsequence(names))
                .isEqualTo("invalid limit settings (nullspend.tags, nullspend.budgets-file): nullspend.enforcement=off, no"
                        + " limit is enforced anyway; tracking stays on");
    }

    @Test
    void aRedisUrlIsReadWithItsDefaults() {
        AgentConfig c = props("nullspend.redis.url", "rediss://app:s3cret-pw@cache.internal:6380/2");
        assertThat(c.invalid).isEmpty();
        assertThat(c.redisUrl).isEqualTo("rediss://app:s3cret-pw@cache.internal:6380/2");
        assertThat(c.redisKeyPrefix).isEqualTo("nullspend:");
        assertThat(c.redisTimeoutMs).isEqualTo(50);
        assertThat(c.redisHoldSeconds).isEqualTo(600);
        assertThat(props().redisUrl).isNull();
    }

    @Test
    void aBadRedisUrlIsAnInvalidLimitSettingNamedOnceWithoutItsPassword() {
        AgentConfig wrongScheme = props("nullspend.redis.url", "http://u:hunter22@cache:6379");
        assertThat(wrongScheme.redisUrl).isNull();
        assertThat(wrongScheme.invalidLimitKeys()).containsExactly("nullspend.redis.url");
        assertThat(dev.nullspend.agent.log.Redaction.text(problem(wrongScheme))).doesNotContain("hunter22")
                .contains("expected a redis:// or rediss:// URL with a host, such as redis://cache:6379/0");

        AgentConfig badDb = props("nullspend.redis.url", "redis://cache:6379/zero");
        assertThat(problem(badDb)).contains("the database after the host must be a number");
        assertThat(badDb.redisUrl).isNull();
    }

    @Test
    void metricsAreOffUnlessAPortOrAnEndpointIsSet() {
        AgentConfig c = props();
        assertThat(c.metricsPrometheusPort).isNull();
        assertThat(c.metricsPrometheusHost).isEqualTo("127.0.0.1");
        assertThat(c.metricsOtlpEndpoint).isNull();
        assertThat(c.metricsOtlpIntervalMs).isEqualTo(60_000);
    }

    @Test
    void metricsKeysAreRead() {
        AgentConfig c = props("nullspend.metrics.prometheus.port", "9464", "nullspend.metrics.prometheus.host", "0.0.0.0",
                "nullspend.metrics.otlp.endpoint", "http://collector:4318/", "nullspend.metrics.otlp.interval-ms", "15000");
        assertThat(c.metricsPrometheusPort).isEqualTo(9464);
        assertThat(c.metricsPrometheusHost).isEqualTo("0.0.0.0");
        assertThat(c.metricsOtlpEndpoint).isEqualTo("http://collector:4318/v1/metrics");
        assertThat(c.metricsOtlpIntervalMs).isEqualTo(15_000);
        assertThat(c.invalid).isEmpty();
        assertThat(props("nullspend.metrics.otlp.endpoint", "https://otlp.example/v1/metrics").metricsOtlpEndpoint)
                .isEqualTo("https://otlp.example/v1/metrics");
        assertThat(props("nullspend.metrics.otlp.endpoint", "https://gw.example/otlp").metricsOtlpEndpoint)
                .isEqualTo("https://gw.example/otlp/v1/metrics");
    }

    @Test
    void anInvalidMetricsValueIsNamedAndLeavesThatExporterOff() {
        AgentConfig port = props("nullspend.metrics.prometheus.port", "70000");
        assertThat(port.metricsPrometheusPort).isNull();
        assertThat(problem(port)).contains("nullspend.metrics.prometheus.port").contains("between 1 and 65535");
        AgentConfig endpoint = props("nullspend.metrics.otlp.endpoint", "collector:4318");
        assertThat(endpoint.metricsOtlpEndpoint).isNull();
        assertThat(problem(endpoint)).contains("nullspend.metrics.otlp.endpoint");
        assertThat(port.invalidLimitKeys()).isEmpty(); // metrics never deny a call
    }
}
