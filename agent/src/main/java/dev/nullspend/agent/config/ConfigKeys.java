package dev.nullspend.agent.config;

import java.util.List;
import java.util.Set;

/** Every configuration key the agent reads; {@code docs/configuration.md} documents each one. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final String ENABLED = "nullspend.enabled";
    public static final String CONFIG_FILE = "nullspend.config-file";
    public static final String API_KEY = "nullspend.api-key";
    public static final String BASE_URL = "nullspend.base-url";
    public static final String PROXY_URL = "nullspend.proxy-url";
    public static final String LEDGER = "nullspend.ledger";
    public static final String BUDGETS_FILE = "nullspend.budgets-file";
    public static final String BUDGET_LIMIT_USD = "nullspend.budget.limit-usd";
    public static final String BUDGET_RESET_INTERVAL = "nullspend.budget.reset-interval";
    public static final String SESSION_ID = "nullspend.session.id";
    public static final String SESSION_LIMIT_USD = "nullspend.session.limit-usd";
    public static final String VELOCITY_LIMIT_USD = "nullspend.velocity.limit-usd";
    public static final String VELOCITY_WINDOW_SECONDS = "nullspend.velocity.window-seconds";
    public static final String VELOCITY_COOLDOWN_SECONDS = "nullspend.velocity.cooldown-seconds";
    public static final String ALLOWED_MODELS = "nullspend.allowed-models";
    public static final String ALLOWED_PROVIDERS = "nullspend.allowed-providers";
    public static final String LOOP_MAX_CALLS = "nullspend.loop.max-calls";
    public static final String LOOP_WINDOW_SECONDS = "nullspend.loop.window-seconds";
    public static final String LOOP_AGGREGATE_MAX_KEYS = "nullspend.loop.aggregate-max-keys";
    public static final String ENFORCEMENT = "nullspend.enforcement";
    public static final String FAIL_MODE = "nullspend.fail-mode";
    public static final String REDIS_URL = "nullspend.redis.url";
    public static final String REDIS_KEY_PREFIX = "nullspend.redis.key-prefix";
    public static final String REDIS_TIMEOUT_MS = "nullspend.redis.timeout-ms";
    public static final String REDIS_HOLD_SECONDS = "nullspend.redis.hold-seconds";
    public static final String STARTUP_WAIT_MS = "nullspend.startup.wait-ms";
    public static final String REQUEST_BODY_WAIT_MS = "nullspend.request-body.wait-ms";
    public static final String TAGS = "nullspend.tags";
    public static final String CUSTOMER = "nullspend.customer";
    public static final String TRACE_ID = "nullspend.trace-id";
    public static final String PRICING_FILE = "nullspend.pricing-file";
    public static final String PROVIDERS_EXTRA_HOSTS = "nullspend.providers.extra-hosts";
    public static final String PROVIDERS_INCLUDE_USAGE_HOSTS = "nullspend.providers.include-usage-hosts";
    public static final String PROVIDERS_BEDROCK_PROFILES = "nullspend.providers.bedrock-profiles";
    public static final String SPOOL_DIR = "nullspend.spool-dir";
    public static final String SPOOL_MAX_MB = "nullspend.spool.max-mb";
    public static final String LOG_LEVEL = "nullspend.log.level";
    public static final String SUMMARY = "nullspend.summary";
    public static final String REPORTER_QUEUE_SIZE = "nullspend.reporter.queue-size";
    public static final String REPORTER_BATCH_SIZE = "nullspend.reporter.batch-size";
    public static final String REPORTER_FLUSH_INTERVAL_MS = "nullspend.reporter.flush-interval-ms";
    public static final String METRICS_PROMETHEUS_PORT = "nullspend.metrics.prometheus.port";
    public static final String METRICS_PROMETHEUS_HOST = "nullspend.metrics.prometheus.host";
    public static final String METRICS_OTLP_ENDPOINT = "nullspend.metrics.otlp.endpoint";
    public static final String METRICS_OTLP_INTERVAL_MS = "nullspend.metrics.otlp.interval-ms";
    /** Internal, for tests: {@code parser} makes the usage parser fail on the first response bytes. */
    public static final String INTERNAL_FAULT = "nullspend.internal.fault";

    private static final String INSTRUMENTATION_PREFIX = "nullspend.instrumentation.";
    private static final String ENABLED_SUFFIX = ".enabled";

    /** Keys whose values are never shown, not even in the message about an invalid one. */
    public static final Set<String> SECRETS = Set.of(API_KEY);

    /**
     * Keys whose invalid value would weaken enforcement: the limits themselves, what decides which
     * calls they cover (attribution, provider hosts, the remote policy's key and URL), the files
     * that hold limits, and the enforcement mode. With {@code nullspend.fail-mode=closed} an
     * invalid one denies LLM calls ({@code config_invalid}) until it is fixed; any other invalid
     * value only falls back, with a message. {@link #FAIL_MODE} itself is not one: an invalid
     * fail mode is read as {@code closed}.
     */
    public static final Set<String> LIMIT_KEYS = Set.of(CONFIG_FILE, API_KEY, BASE_URL, BUDGETS_FILE,
            BUDGET_LIMIT_USD, BUDGET_RESET_INTERVAL, SESSION_ID, SESSION_LIMIT_USD, VELOCITY_LIMIT_USD,
            VELOCITY_WINDOW_SECONDS, VELOCITY_COOLDOWN_SECONDS, ALLOWED_MODELS, ALLOWED_PROVIDERS, LOOP_MAX_CALLS,
            LOOP_WINDOW_SECONDS, LOOP_AGGREGATE_MAX_KEYS, ENFORCEMENT, TAGS, CUSTOMER, PROVIDERS_EXTRA_HOSTS,
            PROVIDERS_BEDROCK_PROFILES, REDIS_URL, REDIS_KEY_PREFIX);

    /** The switch of one instrumentation; the names are the modules' own ({@code InstrumentationModule.name()}). */
    public static String instrumentationEnabled(String name) {
        return INSTRUMENTATION_PREFIX + name + ENABLED_SUFFIX;
    }

    /** NAME of a {@code nullspend.instrumentation.NAME.enabled} key, or null for any other key. */
    public static String instrumentationName(String key) {
        if (key.startsWith(INSTRUMENTATION_PREFIX) && key.endsWith(ENABLED_SUFFIX)
                && key.length() > INSTRUMENTATION_PREFIX.length() + ENABLED_SUFFIX.length()) {
            return key.substring(INSTRUMENTATION_PREFIX.length(), key.length() - ENABLED_SUFFIX.length());
        }
        return null;
    }

    /** All fixed keys (instrumentation switches excluded), for the unknown-key check. */
    public static final List<String> ALL = List.of(ENABLED, CONFIG_FILE, API_KEY, BASE_URL, PROXY_URL, LEDGER,
            BUDGETS_FILE, BUDGET_LIMIT_USD, BUDGET_RESET_INTERVAL, SESSION_ID, SESSION_LIMIT_USD, VELOCITY_LIMIT_USD,
            VELOCITY_WINDOW_SECONDS, VELOCITY_COOLDOWN_SECONDS, ALLOWED_MODELS, ALLOWED_PROVIDERS, LOOP_MAX_CALLS,
            LOOP_WINDOW_SECONDS, LOOP_AGGREGATE_MAX_KEYS, ENFORCEMENT, FAIL_MODE, STARTUP_WAIT_MS, REQUEST_BODY_WAIT_MS,
            TAGS, CUSTOMER, TRACE_ID, PRICING_FILE, PROVIDERS_EXTRA_HOSTS, PROVIDERS_INCLUDE_USAGE_HOSTS, SPOOL_DIR, SPOOL_MAX_MB, LOG_LEVEL,
            SUMMARY, REPORTER_QUEUE_SIZE, REPORTER_BATCH_SIZE, REPORTER_FLUSH_INTERVAL_MS, METRICS_PROMETHEUS_PORT,
            METRICS_PROMETHEUS_HOST, METRICS_OTLP_ENDPOINT, METRICS_OTLP_INTERVAL_MS, INTERNAL_FAULT,
            REDIS_URL, REDIS_KEY_PREFIX, REDIS_TIMEOUT_MS, REDIS_HOLD_SECONDS);
}
