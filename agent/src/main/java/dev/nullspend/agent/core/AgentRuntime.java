package dev.nullspend.agent.core;

import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentVersion;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.facade.FacadeApi;
import dev.nullspend.agent.guard.AdmissionRequest;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.fleet.Fleet;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.guard.Reservation;
import dev.nullspend.agent.instrumentation.UninstrumentedLoaders;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.metrics.Metrics;
import dev.nullspend.agent.metrics.MetricsStart;
import dev.nullspend.agent.policy.RemotePolicyFetcher;
import dev.nullspend.agent.pricing.CostEstimator;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.pricing.PriceTableException;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.report.ApiSink;
import dev.nullspend.agent.report.EventSink;
import dev.nullspend.agent.report.LedgerSink;
import dev.nullspend.agent.report.Reporter;
import dev.nullspend.agent.report.RunSummary;
import dev.nullspend.agent.report.Spool;
import dev.nullspend.agent.report.SpoolOwner;
import dev.nullspend.agent.unseen.UnseenTraffic;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;

import java.io.File;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The agent's core, one per JVM: configuration, provider recognition, prices, the guard, the
 * reporter and the run summary. Client adapters reach it through {@link LlmCalls}; it knows no
 * HTTP client.
 */
public final class AgentRuntime {
    private static volatile AgentRuntime current;

    private final AgentConfig config;
    private final CallTargets targets;
    private final PriceTable prices;
    private final Reporter reporter;
    private final Guard guard;
    private final RunSummary summary = new RunSummary();
    private final String ledgerDescription;
    private final ApiSink api;
    private final FacadeApi facadeApi;
    private final RemotePolicyFetcher policy;
    /** {@link Metrics#NONE} unless {@code nullspend.metrics.*} is set. */
    private final Metrics metrics;

    AgentRuntime(AgentConfig config, Providers providers, PriceTable prices, Reporter reporter, Guard guard,
                 String ledgerDescription, ApiSink api, FacadeApi facadeApi, RemotePolicyFetcher policy) {
        this(config, providers, prices, reporter, guard, ledgerDescription, api, facadeApi, policy, Metrics.NONE);
    }

    AgentRuntime(AgentConfig config, Providers providers, PriceTable prices, Reporter reporter, Guard guard,
                 String ledgerDescription, ApiSink api, FacadeApi facadeApi, RemotePolicyFetcher policy,
                 Metrics metrics) {
        this.config = config;
        this.targets = new CallTargets(config, providers);
        this.prices = prices;
        this.reporter = reporter;
        this.guard = guard;
        this.ledgerDescription = ledgerDescription;
        this.api = api;
        this.facadeApi = facadeApi;
        this.policy = policy;
        this.metrics = metrics;
    }

    /**
     * Builds the runtime from the configuration and starts its reporter thread and, with an API
     * key and enforcement not off, the remote policy's thread (its first fetch runs beside the
     * program; nothing here waits for it). An invalid budgets file record is named and left out,
     * the others are enforced ({@link Guard#create}).
     */
    public static AgentRuntime start(AgentConfig config, Supplier<HttpTransport> transports) {
        return start(config, transports, null);
    }

    /**
     * As {@link #start(AgentConfig, Supplier)}, with the metrics exporters that {@code nullspend.metrics.*}
     * asks for ({@link MetricsStart}) loaded from {@code agentJar}.
     */
    public static AgentRuntime start(AgentConfig config, Supplier<HttpTransport> transports, File agentJar) {
        // One client for events and policy: its rate limiter keeps both together under the API's limit.
        NullSpendApiClient client = config.apiKey == null ? null : new NullSpendApiClient(
                NullSpendApiClient.Settings.of(config.baseUrl, config.apiKey, AgentVersion.get()), transports);
        RemotePolicyFetcher policy = client == null || config.enforcement == AgentConfig.Enforcement.OFF ? null
                : new RemotePolicyFetcher(client, config.failMode);
        Guard guard = startGuard(config, policy);
        PriceTable prices = loadPrices(config);
        List<EventSink> sinks = new ArrayList<>();
        String ledgerDescription = null;
        if (config.ledger != null) {
            LedgerSink ledger = new LedgerSink(config.ledger.toPath());
            sinks.add(ledger);
            ledgerDescription = ledger.describe();
        }
        ApiSink api = null;
        FacadeApi facadeApi = null;
        if (client != null) {
            // Spooled events are only ever sent again with this key to this URL: the spool is partitioned by both.
            api = new ApiSink(client, new Spool(config.spoolDir.toPath(), config.spoolMaxBytes,
                    SpoolOwner.of(config.apiKey, config.baseUrl)));
            sinks.add(api); // after the ledger: a slow API never delays the local line
            facadeApi = new FacadeApi(client); // one client: the facade's calls count against the same rate limit
        }
        Reporter reporter = Reporter.start(sinks, new Reporter.Settings(config.reporterQueueSize,
                config.reporterBatchSize, Duration.ofMillis(config.reporterFlushIntervalMs)));
        if (policy != null) {
            policy.start();
        }
        Metrics metrics = MetricsStart.start(config, agentJar);
        return new AgentRuntime(config, Providers.of(config.extraHosts, config.includeUsageHosts, config.bedrockProfiles), prices, reporter, guard,
                ledgerDescription, api, facadeApi, policy, metrics);
    }

    /** The guard, with the spend of the current periods restored from the ledger (a restart does not reset budgets). */
    private static Guard startGuard(AgentConfig config, RemotePolicyFetcher policy) {
        Guard guard = Guard.create(config, policy, Fleet.start(config));
        if (config.ledger != null && guard.tracksLocalSpend()) {
            if (isDevice(config.ledger.toPath())) {
                AgentLog.warn("the ledger " + config.ledger.getAbsolutePath() + " is a device, not a file: no spend is"
                        + " restored from it; local budgets count from $0.00 in this run");
                return guard;
            }
            try {
                guard.restoreFrom(config.ledger.toPath());
            } catch (IOException e) {
                AgentLog.warn("cannot read the ledger " + config.ledger.getAbsolutePath() + " to restore budget spend ("
                        + e.getMessage() + "); local budgets count from $0.00 in this run");
            }
        }
        return guard;
    }

    /**
     * True for a character or block device: one such as {@code /dev/full} or {@code /dev/zero}
     * reads as endless bytes, so a restore from it would spin forever and the agent never be ready.
     */
    static boolean isDevice(Path path) {
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return type == 0020000 || type == 0060000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false; // no such file yet, or no unix view: read it as before
        }
    }

    private static PriceTable loadPrices(AgentConfig config) {
        PriceTable bundled = PriceTable.bundled();
        if (config.pricingFile == null) {
            return bundled;
        }
        try (InputStream in = new FileInputStream(config.pricingFile)) {
            PriceTable overrides = PriceTable.parse(in, config.pricingFile.getPath());
            return bundled.withOverrides(overrides);
        } catch (IOException | PriceTableException e) {
            AgentLog.error("pricing file rejected, using the bundled prices only: " + e.getMessage());
            return bundled;
        }
    }

    /** Makes this runtime the one client adapters use, and the backend of the program's {@code NullSpend} facade. */
    public void install() {
        current = this;
        NullSpend.install(new FacadeBackend(this, facadeApi));
    }

    /** Makes {@code rt} (null: none) the runtime adapters use, without the facade: for tests that drive an adapter. */
    static void useForAdapters(AgentRuntime rt) {
        current = rt;
    }

    /** The installed runtime, or {@code null} while the agent is starting or disabled. */
    public static AgentRuntime current() {
        return current;
    }

    public AgentConfig config() {
        return config;
    }

    public Providers providers() {
        return targets.providers();
    }

    public PriceTable prices() {
        return prices;
    }

    public Reporter reporter() {
        return reporter;
    }

    public RunSummary summary() {
        return summary;
    }

    /**
     * Runs the guard for a recognised call, holding its estimate; throws the typed denial when
     * the call must not be sent.
     */
    Reservation admit(LlmRequest request, Attribution scope) {
        long estimate = CostEstimator.estimateMicros(prices.resolve(request.provider(), request.model(), null),
                request.requestBodyBytes(), request.maxOutputTokens());
        try {
            return guard.admit(new AdmissionRequest(request.provider(), request.model(), request.body(), estimate,
                    CallOwner.of(config, scope)));
        } catch (NullSpendException denial) {
            metrics.denial(request.provider(), request.model(), denial.code());
            throw denial;
        }
    }

    /** The metrics the runtime counts in: {@link Metrics#NONE} unless configured. */
    Metrics metrics() {
        return metrics;
    }

    CallTargets targets() {
        return targets;
    }

    /** The LLM call {@code exchange} is, or null ({@link CallTargets#recognize}). */
    LlmRequest recognize(Exchange exchange) {
        return targets.recognize(exchange);
    }

    /** True for the agent's own traffic to the NullSpend API, which is never intercepted. */
    boolean isOwnTraffic(URI uri) {
        return targets.isOwnTraffic(uri);
    }

    /** True for calls to the NullSpend proxy ({@code nullspend.proxy-url}): the proxy costs them, not the agent. */
    boolean isProxied(URI uri) {
        return targets.isProxied(uri);
    }

    /** Records a finished event: the summary and the metrics count it and the reporter sends it on. */
    public void record(CostEvent event) {
        record(event, null);
    }

    /** As {@link #record(CostEvent)}, for an LLM call to the API endpoint {@code endpoint} ({@code LlmRequest.endpoint()}). */
    void record(CostEvent event, String endpoint) {
        summary.record(event);
        metrics.record(event, endpoint);
        reporter.submit(event);
    }

    /** Drains the reporter within its bound and prints the run summary. Called once at JVM exit. */
    public void shutdown() {
        if (policy != null) {
            policy.close(); // no fetch competes with the drain for the API's rate limit
        }
        reporter.shutdown(Reporter.DEFAULT_SHUTDOWN_TIMEOUT);
        guard.shutdown();
        metrics.close(); // after the last event: the last OTLP push carries it
        String apiLine = api == null ? null : api.summary();
        long notCosted = UnseenTraffic.total();
        if (config.summary && (!summary.isEmpty() || notCosted > 0)) {
            for (String line : summary.render(ledgerDescription, reporter.stats(), apiLine, notCosted)) {
                AgentLog.info(line);
            }
        } else if (apiLine != null) {
            AgentLog.info(apiLine);
        }
        String unread = UnreadBodies.summaryLine();
        if (unread != null) {
            AgentLog.warn("NullSpend summary: " + unread); // like early calls: not checked, whatever nullspend.summary says
        }
        UnseenTraffic.warnSummary(); // whatever nullspend.summary says: this traffic was not costed
        String early = AgentStartup.earlyCallsLine();
        if (early != null) {
            AgentLog.warn("NullSpend summary: " + early); // whatever nullspend.summary says: these calls were not checked
        }
        UninstrumentedLoaders.warnInSummary();
    }
}
