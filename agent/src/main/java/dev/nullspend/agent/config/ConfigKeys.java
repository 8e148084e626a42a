package dev.nullspend.agent.config;

import java.util.List;

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
    public static final String STARTUP_WAIT_MS = "nullspend.startup.wait-ms";
    public static final String TAGS = "nullspend.tags";
    public static final String CUSTOMER = "nullspend.customer";
    public static final String TRACE_ID = "nullspend.trace-id";
    public static final String PRICING_FILE = "nullspend.pricing-file";
    public static final String PROVIDERS_EXTRA_HOSTS = "nullspend.providers.extra-hosts";
    public static final String PROVIDERS_INCLUDE_USAGE_HOSTS = "nullspend.providers.include-usage-hosts";
    public static final String SPOOL_DIR = "nullspend.spool-dir";
    public static final String SPOOL_MAX_MB = "nullspend.spool.max-mb";
    public static final String LOG_LEVEL = "nullspend.log.level";
    public static final String SUMMARY = "nullspend.summary";
    public static final String REPORTER_QUEUE_SIZE = "nullspend.reporter.queue-size";
    public static final String REPORTER_BATCH_SIZE = "nullspend.reporter.batch-size";
    public static final String REPORTER_FLUSH_INTERVAL_MS = "nullspend.reporter.flush-interval-ms";
    /** Internal, for tests: {@code parser} makes the usage parser fail on the first response bytes. */
    public static final String INTERNAL_FAULT = "nullspend.internal.fault";

    /** Instrumentation names for {@code nullspend.instrumentation.NAME.enabled}. */
    public static final List<String> INSTRUMENTATIONS =
            List.of("java-http-client", "okhttp", "apache-httpclient-4", "apache-httpclient-5", "track-tool");

    /** Vendor names {@code nullspend.providers.extra-hosts} accepts (the provider package's {@code Vendor} config names). */
    public static final List<String> EXTRA_HOST_VENDORS = List.of("openai", "azure", "anthropic", "google",
            "mistral_ai", "groq", "deepseek", "openrouter", "ollama");

    public static String instrumentationEnabled(String name) {
        return "nullspend.instrumentation." + name + ".enabled";
    }

    /** All fixed keys (instrumentation switches excluded), for the unknown-key check. */
    public static final List<String> ALL = List.of(ENABLED, CONFIG_FILE, API_KEY, BASE_URL, PROXY_URL, LEDGER,
            BUDGETS_FILE, BUDGET_LIMIT_USD, BUDGET_RESET_INTERVAL, SESSION_ID, SESSION_LIMIT_USD, VELOCITY_LIMIT_USD,
            VELOCITY_WINDOW_SECONDS, VELOCITY_COOLDOWN_SECONDS, ALLOWED_MODELS, ALLOWED_PROVIDERS, LOOP_MAX_CALLS,
            LOOP_WINDOW_SECONDS, LOOP_AGGREGATE_MAX_KEYS, ENFORCEMENT, FAIL_MODE, STARTUP_WAIT_MS, TAGS, CUSTOMER, TRACE_ID,
            PRICING_FILE, PROVIDERS_EXTRA_HOSTS, PROVIDERS_INCLUDE_USAGE_HOSTS, SPOOL_DIR, SPOOL_MAX_MB, LOG_LEVEL,
            SUMMARY, REPORTER_QUEUE_SIZE, REPORTER_BATCH_SIZE, REPORTER_FLUSH_INTERVAL_MS, INTERNAL_FAULT);
}
