package dev.nullspend.agent.metrics;

import dev.nullspend.api.CostEvent;

/**
 * The events every exporter test records, and so the exact figures they must show: two gpt-4o calls,
 * one claude call, one tool call and two denials.
 */
public final class KnownEvents {
    public static final CostEvent GPT_4O_A = llm("openai", "gpt-4o", 4_500, 1_000, 200, 400, 0);
    public static final CostEvent GPT_4O_B = llm("openai", "gpt-4o", 1_750, 300, 100, 0, 60);
    public static final CostEvent CLAUDE = llm("anthropic", "claude-sonnet-4-5", 12_345, 2_000, 500, 1_500, 0);
    public static final CostEvent TOOL = CostEvent.builder().eventType(CostEvent.Type.TOOL).provider("tool")
            .model("custom").costMicrodollars(250).build();

    private KnownEvents() {
    }

    public static CostEvent llm(String provider, String model, long cost, long input, long output, long cached,
                                long reasoning) {
        return CostEvent.builder().eventType(CostEvent.Type.LLM).provider(provider).model(model)
                .costMicrodollars(cost).inputTokens(input).outputTokens(output).cachedInputTokens(cached)
                .reasoningTokens(reasoning).build();
    }

    /** Records them all: the calls as chat endpoints, a mandate and a budget denial. */
    public static void recordInto(Metrics metrics) {
        metrics.record(GPT_4O_A, "chat.completions");
        metrics.record(GPT_4O_B, "chat.completions");
        metrics.record(CLAUDE, "messages");
        metrics.record(TOOL, null);
        metrics.denial("openai", "gpt-4.1", "mandate_violation");
        metrics.denial("openai", "gpt-4o", "budget_exceeded");
        metrics.denial("openai", "gpt-4o", "budget_exceeded");
    }
}
