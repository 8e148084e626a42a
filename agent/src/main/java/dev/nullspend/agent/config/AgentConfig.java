package dev.nullspend.agent.config;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;
import dev.nullspend.agent.provider.ProviderFamilies;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's validated configuration, read once at start-up. Every key is documented in
 * {@code docs/configuration.md}; {@link ConfigSource} gives the precedence.
 */
public final class AgentConfig {

    /** What enforcement does with a would-be denial. */
    public enum Enforcement { ON, DRY_RUN, OFF }

    /**
     * What happens to LLM calls when a limit cannot be checked: the remote policy cannot be
     * fetched, or a limit's configuration is invalid.
     */
    public enum FailMode { OPEN, CLOSED }

    /** Calendar period after which a local budget's spend starts again from zero (UTC). */
    public enum ResetInterval { NONE, DAILY, WEEKLY, MONTHLY }

    public static final String DEFAULT_BASE_URL = "https://nullspend.dev";
    public static final String DEFAULT_LEDGER = "nullspend-ledger.jsonl";
    public static final String DEFAULT_REDIS_KEY_PREFIX = "nullspend:";

    public final boolean enabled;
    /** A valid {@code nullspend.api-key}, or null when unset or refused ({@link #apiKeyProblem}). */
    public final String apiKey;
    /**
     * Why {@code nullspend.api-key} was refused, naming the setting and where it came from but never
     * its value; null when the key is unset or valid. A refused key leaves the agent in local mode:
     * nothing is sent with it, and the events go to the ledger (see {@code docs/configuration.md}).
     */
    public final String apiKeyProblem;
    public final String baseUrl;
    public final String proxyUrl;
    /** Ledger file, or {@code null} when the ledger is off. */
    public final File ledger;
    public final File budgetsFile;
    public final Long budgetLimitMicros;
    public final ResetInterval budgetResetInterval;
    public final String sessionId;
    public final Long sessionLimitMicros;
    public final Long velocityLimitMicros;
    public final int velocityWindowSeconds;
    public final int velocityCooldownSeconds;
    public final List<String> allowedModels;
    public final List<String> allowedProviders;
    public final int loopMaxCalls;
    public final int loopWindowSeconds;
    public final int loopAggregateMaxKeys;
    public final Enforcement enforcement;
    public final FailMode failMode;
    /** Fleet mode's Redis (docs/fleet.md), or {@code null}. */
    public final String redisUrl;
    public final String redisKeyPrefix;
    public final int redisTimeoutMs;
    public final int redisHoldSeconds;
    /** How long after the agent's start an LLM call (or a class it needs) waits for the agent to be ready. */
    public final int startupWaitMs;
    /** How long a request body the agent reads ahead may take before the call goes on with what came (JDK client). */
    public final int requestBodyWaitMs;
    public final Map<String, String> tags;
    public final String customer;
    public final String traceId;
    public final File pricingFile;
    /** Vendor name → hosts ({@code host} or {@code host:port}, lower case) treated as that vendor's own; empty when unset. */
    public final Map<String, List<String>> extraHosts;
    /**
     * Hosts ({@code host} or {@code host:port}, lower case) whose streamed chat requests are asked
     * for usage besides the built-in ones; empty when unset.
     */
    public final List<String> includeUsageHosts;
    /** Bedrock application inference profile (ARN or id) → the model id it stands for; empty when unset. */
    public final Map<String, String> bedrockProfiles;
    public final File spoolDir;
    /** Bound of all spool files together, in bytes. */
    public final long spoolMaxBytes;
    public final AgentLog.Level logLevel;
    public final boolean summary;
    public final int reporterQueueSize;
    public final int reporterBatchSize;
    public final int reporterFlushIntervalMs;
    /** Port of the Prometheus scrape endpoint, or null: no Prometheus metrics (docs/metrics.md). */
    public final Integer metricsPrometheusPort;
    /** Address the Prometheus endpoint listens on. */
    public final String metricsPrometheusHost;
    /** OTLP/HTTP metrics URL ({@code …/v1/metrics}), or null: no OTLP push. */
    public final String metricsOtlpEndpoint;
    public final int metricsOtlpIntervalMs;
    /** {@code nullspend.instrumentation.NAME.enabled} as set explicitly, by NAME; unset names are enabled. */
    public final Map<String, Boolean> instrumentations;
    public final String internalFault;
    /** Keys that look like ours but are unknown (typos), to warn about. */
    public final Set<String> unknownKeys;
    /** Invalid values, one per key in reading order; each key has its fallback (docs/configuration.md, "Invalid values"). */
    public final List<ConfigException> invalid;

    private AgentConfig(ConfigSource source) {
        ConfigReader r = new ConfigReader(source);
        enabled = r.bool(ConfigKeys.ENABLED, true);
        ConfigSource.Value key = r.raw(ConfigKeys.API_KEY);
        if (key != null) {
            Redaction.secret(key.raw()); // from now on no log line can print it, whatever goes wrong
        }
        String keyProblem = key == null ? null : ConfigReader.apiKeyProblem(key.raw());
        apiKey = key == null || keyProblem != null ? null : key.raw();
        apiKeyProblem = keyProblem == null ? null
                : ConfigKeys.API_KEY + " (from " + key.origin() + ") " + keyProblem + " (the value is not shown)";
        if (keyProblem != null) {
            // An invalid limit setting like any other (the remote policy's key): named once, value hidden.
            r.invalid(ConfigKeys.API_KEY, key, keyProblem.startsWith("is ") ? keyProblem.substring(3) : keyProblem, null);
        }
        baseUrl = r.url(ConfigKeys.BASE_URL, DEFAULT_BASE_URL);
        proxyUrl = r.url(ConfigKeys.PROXY_URL, null);
        String ledgerValue = r.string(ConfigKeys.LEDGER, apiKey == null ? DEFAULT_LEDGER : "off");
        // A refused key cannot send: the events go to the ledger, even one set to off for the API's sake.
        boolean ledgerOff = ledgerValue.equalsIgnoreCase("off") && apiKeyProblem == null;
        ledger = ledgerOff ? null : new File(ConfigSource.expandHome(
                ledgerValue.equalsIgnoreCase("off") ? DEFAULT_LEDGER : ledgerValue));
        budgetsFile = file(r, ConfigKeys.BUDGETS_FILE, true);
        budgetLimitMicros = r.usd(ConfigKeys.BUDGET_LIMIT_USD);
        budgetResetInterval = r.choice(ConfigKeys.BUDGET_RESET_INTERVAL, ResetInterval.NONE, ResetInterval.class);
        sessionId = r.string(ConfigKeys.SESSION_ID, 200);
        sessionLimitMicros = r.usd(ConfigKeys.SESSION_LIMIT_USD);
        velocityLimitMicros = r.usd(ConfigKeys.VELOCITY_LIMIT_USD);
        velocityWindowSeconds = r.integer(ConfigKeys.VELOCITY_WINDOW_SECONDS, 60, 10, 3600);
        velocityCooldownSeconds = r.integer(ConfigKeys.VELOCITY_COOLDOWN_SECONDS, 60, 10, 3600);
        allowedModels = r.list(ConfigKeys.ALLOWED_MODELS);
        allowedProviders = r.list(ConfigKeys.ALLOWED_PROVIDERS);
        loopMaxCalls = r.integer(ConfigKeys.LOOP_MAX_CALLS, 50, 0, 1_000_000);
        loopWindowSeconds = r.integer(ConfigKeys.LOOP_WINDOW_SECONDS, 60, 1, 86_400);
        loopAggregateMaxKeys = r.integer(ConfigKeys.LOOP_AGGREGATE_MAX_KEYS, 5, 0, 10_000);
        enforcement = r.choice(ConfigKeys.ENFORCEMENT, Enforcement.ON, Enforcement.class);
        // A fail mode that cannot be read is taken as closed: a typo never lets calls through unchecked.
        failMode = r.choice(ConfigKeys.FAIL_MODE, FailMode.OPEN, FailMode.class, FailMode.CLOSED);
        redisUrl = r.redisUrl(ConfigKeys.REDIS_URL);
        String prefix = r.string(ConfigKeys.REDIS_KEY_PREFIX, 200);
        redisKeyPrefix = prefix == null ? DEFAULT_REDIS_KEY_PREFIX : prefix;
        redisTimeoutMs = r.integer(ConfigKeys.REDIS_TIMEOUT_MS, 50, 1, 60_000);
        redisHoldSeconds = r.integer(ConfigKeys.REDIS_HOLD_SECONDS, 600, 1, 86_400);
        startupWaitMs = r.integer(ConfigKeys.STARTUP_WAIT_MS, 15_000, 0, 600_000);
        requestBodyWaitMs = r.integer(ConfigKeys.REQUEST_BODY_WAIT_MS, 10_000, 0, 600_000);
        tags = r.tags(ConfigKeys.TAGS);
        customer = r.string(ConfigKeys.CUSTOMER, 256);
        traceId = traceId(r);
        pricingFile = file(r, ConfigKeys.PRICING_FILE, true);
        extraHosts = r.hostsByName(ConfigKeys.PROVIDERS_EXTRA_HOSTS, ProviderFamilies.vendorNames());
        includeUsageHosts = r.hosts(ConfigKeys.PROVIDERS_INCLUDE_USAGE_HOSTS);
        bedrockProfiles = r.modelsByProfile(ConfigKeys.PROVIDERS_BEDROCK_PROFILES);
        File spool = file(r, ConfigKeys.SPOOL_DIR, false);
        spoolDir = spool != null ? spool : new File(System.getProperty("user.home"), ".nullspend" + File.separator + "spool");
        spoolMaxBytes = (long) r.integer(ConfigKeys.SPOOL_MAX_MB, 64, 1, 100_000) << 20;
        logLevel = logLevel(r);
        summary = r.bool(ConfigKeys.SUMMARY, true);
        reporterQueueSize = r.integer(ConfigKeys.REPORTER_QUEUE_SIZE, 10_000, 1, 10_000_000);
        reporterBatchSize = r.integer(ConfigKeys.REPORTER_BATCH_SIZE, 100, 1, 100);
        reporterFlushIntervalMs = r.integer(ConfigKeys.REPORTER_FLUSH_INTERVAL_MS, 1000, 10, 3_600_000);
        metricsPrometheusPort = r.raw(ConfigKeys.METRICS_PROMETHEUS_PORT) == null ? null
                : nullIfZero(r.integer(ConfigKeys.METRICS_PROMETHEUS_PORT, 0, 1, 65_535));
        metricsPrometheusHost = r.string(ConfigKeys.METRICS_PROMETHEUS_HOST, "127.0.0.1");
        metricsOtlpEndpoint = otlpMetricsUrl(r.url(ConfigKeys.METRICS_OTLP_ENDPOINT, null));
        metricsOtlpIntervalMs = r.integer(ConfigKeys.METRICS_OTLP_INTERVAL_MS, 60_000, 100, 3_600_000);
        Map<String, Boolean> inst = new LinkedHashMap<>();
        Set<String> switches = new java.util.TreeSet<>(source.explicitKeys());
        switches.addAll(source.instrumentationKeysFromEnvironment());
        for (String switchKey : switches) {
            String name = ConfigKeys.instrumentationName(switchKey);
            if (name != null) {
                inst.put(name, r.bool(switchKey, true));
            }
        }
        instrumentations = Map.copyOf(inst);
        internalFault = r.string(ConfigKeys.INTERNAL_FAULT, null);
        unknownKeys = unknown(source);
        invalid = r.invalid();
    }

    /**
     * Reads and validates every key. An invalid value never stops the agent: it is recorded in
     * {@link #invalid} and its key takes its fallback (the default, or unset when it has none).
     */
    public static AgentConfig read(ConfigSource source) {
        return new AgentConfig(source);
    }

    /** Keys of {@link ConfigKeys#LIMIT_KEYS} with an invalid value, in reading order. */
    public List<String> invalidLimitKeys() {
        List<String> out = new java.util.ArrayList<>();
        for (ConfigException e : invalid) {
            if (ConfigKeys.LIMIT_KEYS.contains(e.key())) {
                out.add(e.key());
            }
        }
        return out;
    }

    /**
     * Logs each invalid value once (an error for a limit's, a warning for others) and, when a
     * limit's is among them, what that means for LLM calls.
     */
    public void logInvalid() {
        for (ConfigException e : invalid) {
            if (ConfigKeys.LIMIT_KEYS.contains(e.key())) {
                AgentLog.error("invalid setting " + e.getMessage());
            } else {
                AgentLog.warn("invalid setting " + e.getMessage());
            }
        }
        List<String> limits = invalidLimitKeys();
        if (!limits.isEmpty()) {
            AgentLog.error(invalidLimitsConsequence(limits));
        }
    }

    /** What invalid limit settings (keys, or {@code nullspend.budgets-file}) mean for LLM calls, for the log. */
    public String invalidLimitsConsequence(List<String> names) {
        String which = "invalid limit settings (" + String.join(", ", names) + ")";
        if (enforcement == Enforcement.OFF) {
            return which + ": " + ConfigKeys.ENFORCEMENT + "=off, no limit is enforced anyway; tracking stays on";
        }
        if (failMode == FailMode.OPEN) {
            return which + ": tracking stays on and every valid limit is still enforced (" + ConfigKeys.FAIL_MODE
                    + "=open; closed would deny LLM calls until they are fixed)";
        }
        if (enforcement == Enforcement.DRY_RUN) {
            return which + " and " + ConfigKeys.FAIL_MODE + "=closed: every LLM call would be denied (code"
                    + " config_invalid) until they are fixed; " + ConfigKeys.ENFORCEMENT + "=dry-run logs it and lets"
                    + " the call go on";
        }
        return which + " and " + ConfigKeys.FAIL_MODE + "=closed: every LLM call is denied (code config_invalid)"
                + " until they are fixed; tracking stays on";
    }

    /** True when {@code nullspend.instrumentation.NAME.enabled} is not false. */
    public boolean instrumentationEnabled(String name) {
        return instrumentations.getOrDefault(name, true);
    }

    /** {@code "api"} when events go to the NullSpend API, else {@code "local"}. */
    public String mode() {
        return apiKey != null ? "api" : "local";
    }

    private static Integer nullIfZero(int port) {
        return port == 0 ? null : port; // 0: the invalid value's fallback, no endpoint
    }

    /**
     * The URL metrics are pushed to: an endpoint given with its signal path ({@code …/v1/metrics}) as
     * it is, any other as the base of the OTLP/HTTP paths, as OpenTelemetry's own
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is read ({@code http://collector:4318} → {@code …:4318/v1/metrics}).
     */
    static String otlpMetricsUrl(String endpoint) {
        if (endpoint == null || endpoint.endsWith("/v1/metrics")) {
            return endpoint;
        }
        return endpoint + "/v1/metrics"; // ConfigReader.url took the trailing slashes off
    }

    private static File file(ConfigReader r, String key, boolean mustExist) {
        ConfigSource.Value v = r.raw(key);
        if (v == null) {
            return null;
        }
        File f = new File(ConfigSource.expandHome(v.raw()));
        if (mustExist && !f.isFile()) {
            return r.invalid(key, v, "no such file", null);
        }
        return f;
    }

    private static String traceId(ConfigReader r) {
        ConfigSource.Value v = r.raw(ConfigKeys.TRACE_ID);
        if (v == null) {
            return null;
        }
        String t = v.raw().toLowerCase(java.util.Locale.ROOT);
        if (!t.matches("[0-9a-f]{32}")) {
            return r.invalid(ConfigKeys.TRACE_ID, v, "expected 32 hexadecimal characters", null);
        }
        return t;
    }

    private static AgentLog.Level logLevel(ConfigReader r) {
        ConfigSource.Value v = r.raw(ConfigKeys.LOG_LEVEL);
        if (v == null) {
            return AgentLog.Level.INFO;
        }
        AgentLog.Level l = AgentLog.Level.parse(v.raw());
        if (l == null) {
            return r.invalid(ConfigKeys.LOG_LEVEL, v, "expected one of debug, info, warn, error, off", AgentLog.Level.INFO);
        }
        return l;
    }

    private static Set<String> unknown(ConfigSource source) {
        Set<String> out = new java.util.TreeSet<>();
        for (String key : source.explicitKeys()) {
            // Instrumentation switches are checked against the discovered modules at start-up.
            boolean known = ConfigKeys.ALL.contains(key) || ConfigKeys.instrumentationName(key) != null;
            if (!known && !key.equals("nullspend.agent.attached")) {
                out.add(key);
            }
        }
        return out;
    }
}
