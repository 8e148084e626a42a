package dev.nullspend.agent.cli.report;

import dev.nullspend.api.CostEvent;

/** Running sums of a set of events: calls, cost in microdollars, input and output tokens. */
final class Totals {
    long calls;
    long costMicros;
    long inputTokens;
    long outputTokens;

    void add(CostEvent e) {
        calls++;
        costMicros += e.costMicrodollars();
        inputTokens += e.inputTokens();
        outputTokens += e.outputTokens();
    }
}
