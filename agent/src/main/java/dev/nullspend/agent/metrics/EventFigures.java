package dev.nullspend.agent.metrics;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

/**
 * What one event adds to the counters, with its labels bounded: the same figures for every exporter.
 * Counters only go up, so a negative figure (the program's own event may carry one) adds 0, said once.
 *
 * @param endpoint the LLM call's API endpoint id ({@code chat.completions}, {@code messages} …), or null
 * @param llmCall  an {@link CostEvent.Type#LLM} event: it counts as a call and its tokens count; every event adds its cost
 */
public record EventFigures(String provider, String model, String endpoint, boolean llmCall, long costMicros,
                           long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens) {

    static EventFigures of(CostEvent e, String provider, String model, String endpoint) {
        return new EventFigures(provider, model, endpoint, e.eventType() == CostEvent.Type.LLM,
                upOnly(e.costMicrodollars()), upOnly(e.inputTokens()), upOnly(e.outputTokens()),
                upOnly(e.cachedInputTokens()), upOnly(e.reasoningTokens()));
    }

    private static long upOnly(long figure) {
        if (figure >= 0) {
            return figure;
        }
        AgentLog.warnOnce("metrics-negative", "metrics: an event carries a negative cost or token count (" + figure
                + "); counters only go up, so it adds 0 there (the ledger keeps the event as it is)");
        return 0;
    }
}
