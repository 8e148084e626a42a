package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.pricing.Cost;
import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.CostEstimator;
import dev.nullspend.agent.pricing.ModelPrice;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Turns a finished call into its {@link CostEvent}: prices usage, or bills the estimate when usage is missing. */
final class CostEvents {
    static final String TAG_UNPRICED = "_ns_unpriced";
    static final String TAG_ESTIMATED = "_ns_estimated";
    static final String TAG_CANCELLED = "_ns_cancelled";

    private CostEvents() {
    }

    /**
     * A call ended without its full usage is never a silent zero or an undercount: without any usage
     * it is billed at its pre-request estimate; with usage whose output count never arrived
     * ({@code outputCounted} false: an Anthropic stream cut after {@code message_start}, a Gemini
     * stream cut before its last chunk) its exact
     * input and cache tokens are billed with the estimate's output tokens (the request's cap, as
     * the reservation counted them). Both are tagged {@code _ns_estimated}, plus
     * {@code _ns_cancelled} when the body was cut short.
     *
     * @param scope         the program's attribution scope when the call started
     * @param usage         the usage read, or {@code null} when none was
     * @param outputCounted false when {@code usage}'s output count is a placeholder
     * @param guardTags     tags the guard put on the call ({@code _ns_soft_block}, {@code _ns_dry_run})
     */
    static CostEvent llm(AgentRuntime rt, LlmRequest req, Attribution scope, Usage usage, boolean outputCounted,
                         String responseModel, long durationMs, boolean cutShort, Map<String, String> guardTags) {
        String model = req.model() != null ? req.model() : responseModel != null ? responseModel : "unknown";
        ModelPrice price = rt.prices().resolve(req.provider(), req.model(), responseModel);
        CostEvent.Builder b = attributed(rt.config(), scope)
                .eventType(CostEvent.Type.LLM)
                .provider(req.provider())
                .model(model)
                .durationMs(durationMs)
                .tags(guardTags);
        if (usage == null) {
            // No usage (stream cut, client cancelled, unreadable body): never a silent zero.
            return estimated(b, cutShort)
                    .costMicrodollars(CostEstimator.estimateMicros(price, req.requestBodyBytes(), req.maxOutputTokens()))
                    .build();
        }
        if (!outputCounted) {
            long output = Math.max(usage.output(),
                    CostEstimator.outputTokens(price, req.provider(), req.maxOutputTokens()));
            usage = new Usage(usage.uncachedInput(), usage.cacheRead(), usage.cacheWrite5m(), usage.cacheWrite1h(),
                    output, usage.reasoning(), usage.providerReportedCostMicros());
            estimated(b, cutShort);
        }
        b.inputTokens(usage.inputTokens())
                .outputTokens(usage.output())
                .cachedInputTokens(usage.cacheRead())
                .reasoningTokens(usage.reasoning());
        if (usage.providerReportedCostMicros() != null) {
            return b.costMicrodollars(Math.max(0, usage.providerReportedCostMicros())).build();
        }
        if (price == null) {
            AgentLog.warnOnce(Providers.unpricedWarningKey(req.provider(), model), "no price for model " + req.provider()
                    + "/" + model + ": its calls are recorded at $0 and tagged _ns_unpriced (add it with nullspend.pricing-file)");
            return b.costMicrodollars(0).tag(TAG_UNPRICED, "true").build();
        }
        Cost cost = CostCalculator.cost(price, usage);
        return b.costMicrodollars(cost.totalMicros())
                .costBreakdown(new CostEvent.Breakdown(cost.inputMicros(), cost.outputMicros(), cost.cachedMicros(),
                        cost.reasoningMicros()))
                .build();
    }

    private static CostEvent.Builder estimated(CostEvent.Builder b, boolean cutShort) {
        b.tag(TAG_ESTIMATED, "true");
        return cutShort ? b.tag(TAG_CANCELLED, "true") : b;
    }

    /**
     * A builder carrying the attribution: the configuration's (session, trace id, customer, tags),
     * overridden by the program's scope where it sets a value (tags merge), and a fresh idempotency key.
     */
    static CostEvent.Builder attributed(AgentConfig config, Attribution scope) {
        return CostEvent.builder()
                .sessionId(scope.sessionId() != null ? scope.sessionId() : config.sessionId)
                .traceId(scope.traceId() != null ? scope.traceId() : config.traceId)
                .customer(scope.customer() != null ? scope.customer() : config.customer)
                .tags(config.tags)
                .tags(scope.tags())
                .idempotencyKey(idempotencyKey());
    }

    /** {@code ns_} + a random (version 4) UUID, without SecureRandom's lock on the calling thread. */
    static String idempotencyKey() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return "ns_" + new UUID(msb, lsb);
    }
}
