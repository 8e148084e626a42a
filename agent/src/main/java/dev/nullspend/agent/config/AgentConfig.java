package dev.nullspend.agent.config;

import dev.nullspend.agent.log.AgentLog;

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

    /** What happens when the remote policy cannot be fetched. */
    public enum FailMode { OPEN, CLOSED }

    /** Calendar period after which a local budget's spend starts again from zero (UTC). */
    public enum ResetInterval { NONE, DAILY, WEEKLY, MONTHLY }

    public static final String DEFAULT_BASE_URL = "https://nullspend.dev";
    public static final String DEFAULT_LEDGER = "nullspend-ledger.jsonl";

    public final boolean enabled;
    public final String apiKey;
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
    /** How long after the agent's start an LLM call (or a class it needs) waits for the agent to be ready. */
    public final int startupWaitMs;
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
    public final File spoolDir;
    /** Bound of all spool files together, in bytes. */
    public final long spoolMaxBytes;
    public final AgentLog.Level logLevel;
    public final boolean summary;
    public final int reporterQueueSize;
    public final int reporterBatchSize;
    public final int reporterFlushIntervalMs;
    public final Map<String, Boolean> instrumentations;
    public final String internalFault;
    /** Keys that look like ours but are unknown (typos), to warn about. */
    public final Set<String> unknownKeys;

    private AgentConfig(ConfigSource source) throws ConfigException {
        ConfigReader r = new ConfigReader(source);
        enabled = r.bool(ConfigKeys.ENABLED, true);
        apiKey = r.string(ConfigKeys.API_KEY, 200);
        baseUrl = r.url(ConfigKeys.BASE_URL, DEFAULT_BASE_URL);
        proxyUrl = r.url(ConfigKeys.PROXY_URL, null);
        String ledgerValue = r.string(ConfigKeys.LEDGER, apiKey == null ? DEFAULT_LEDGER : "off");
        ledger = ledgerValue.equalsIgnoreCase("off") ? null : new File(ConfigSource.expandHome(ledgerValue));
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
        failMode = r.choice(ConfigKeys.FAIL_MODE, FailMode.OPEN, FailMode.class);
        startupWaitMs = r.integer(ConfigKeys.STARTUP_WAIT_MS, 15_000, 0, 600_000);
        tags = r.tags(ConfigKeys.TAGS);
        customer = r.string(ConfigKeys.CUSTOMER, 256);
        traceId = traceId(r);
        pricingFile = file(r, ConfigKeys.PRICING_FILE, true);
        extraHosts = r.hostsByName(ConfigKeys.PROVIDERS_EXTRA_HOSTS, ConfigKeys.EXTRA_HOST_VENDORS);
        includeUsageHosts = r.hosts(ConfigKeys.PROVIDERS_INCLUDE_USAGE_HOSTS);
        File spool = file(r, ConfigKeys.SPOOL_DIR, false);
        spoolDir = spool != null ? spool : new File(System.getProperty("user.home"), ".nullspend" + File.separator + "spool");
        spoolMaxBytes = (long) r.integer(ConfigKeys.SPOOL_MAX_MB, 64, 1, 100_000) << 20;
        logLevel = logLevel(r);
        summary = r.bool(ConfigKeys.SUMMARY, true);
        reporterQueueSize = r.integer(ConfigKeys.REPORTER_QUEUE_SIZE, 10_000, 1, 10_000_000);
        reporterBatchSize = r.integer(ConfigKeys.REPORTER_BATCH_SIZE, 100, 1, 100);
        reporterFlushIntervalMs = r.integer(ConfigKeys.REPORTER_FLUSH_INTERVAL_MS, 1000, 10, 3_600_000);
        Map<String, Boolean> inst = new LinkedHashMap<>();
        for (String name : ConfigKeys.INSTRUMENTATIONS) {
            inst.put(name, r.bool(ConfigKeys.instrumentationEnabled(name), true));
        }
        instrumentations = Map.copyOf(inst);
        internalFault = r.string(ConfigKeys.INTERNAL_FAULT, null);
        unknownKeys = unknown(source);
    }

    /** Reads and validates every key; the first invalid value throws, naming its key. */
    public static AgentConfig read(ConfigSource source) throws ConfigException {
        return new AgentConfig(source);
    }

    /** True when {@code nullspend.instrumentation.NAME.enabled} is not false. */
    public boolean instrumentationEnabled(String name) {
        return instrumentations.getOrDefault(name, true);
    }

    /** {@code "api"} when events go to the NullSpend API, else {@code "local"}. */
    public String mode() {
        return apiKey != null ? "api" : "local";
    }

    private static File file(ConfigReader r, String key, boolean mustExist) throws ConfigException {
        ConfigSource.Value v = r.raw(key);
        if (v == null) {
            return null;
        }
        File f = new File(ConfigSource.expandHome(v.raw()));
        if (mustExist && !f.isFile()) {
            throw new ConfigException(key, v.raw(), v.origin(), "no such file");
        }
        return f;
    }

    private static String traceId(ConfigReader r) throws ConfigException {
        ConfigSource.Value v = r.raw(ConfigKeys.TRACE_ID);
        if (v == null) {
            return null;
        }
        String t = v.raw().toLowerCase(java.util.Locale.ROOT);
        if (!t.matches("[0-9a-f]{32}")) {
            throw new ConfigException(ConfigKeys.TRACE_ID, v.raw(), v.origin(), "expected 32 hexadecimal characters");
        }
        return t;
    }

    private static AgentLog.Level logLevel(ConfigReader r) throws ConfigException {
        ConfigSource.Value v = r.raw(ConfigKeys.LOG_LEVEL);
        if (v == null) {
            return AgentLog.Level.INFO;
        }
        AgentLog.Level l = AgentLog.Level.parse(v.raw());
        if (l == null) {
            throw new ConfigException(ConfigKeys.LOG_LEVEL, v.raw(), v.origin(), "expected one of debug, info, warn, error, off");
        }
        return l;
    }

    private static Set<String> unknown(ConfigSource source) {
        Set<String> out = new java.util.TreeSet<>();
        for (String key : source.explicitKeys()) {
            boolean known = ConfigKeys.ALL.contains(key);
            for (String name : ConfigKeys.INSTRUMENTATIONS) {
                known |= key.equals(ConfigKeys.instrumentationEnabled(name));
            }
            if (!known && !key.equals("nullspend.agent.attached")) {
                out.add(key);
            }
        }
        return out;
    }
}
