package dev.nullspend.agent.metrics;

import dev.nullspend.api.CostEvent;

/**
 * What the core tells the metrics (docs/metrics.md): every recorded event and every denial. Without
 * {@code nullspend.metrics.*} it is {@link #NONE}, and no class of the metrics libraries is ever
 * loaded; the core pays one call on a field for each event.
 */
public interface Metrics {

    /** Nothing configured: records nothing. */
    Metrics NONE = new Metrics() {
        @Override
        public void record(CostEvent event, String endpoint) {
        }

        @Override
        public void denial(String provider, String model, String code) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * A recorded event (LLM call, tool call or the program's own event). Never throws.
     *
     * @param endpoint the API endpoint id of an LLM call ({@code chat.completions}, {@code messages} …), else null
     */
    void record(CostEvent event, String endpoint);

    /** A call denied before it was sent ({@code provider}, {@code model} null when unknown). Never throws. */
    void denial(String provider, String model, String code);

    /** At JVM exit, after the last event: the last push, then the exporters stop. Never throws. */
    void close();
}
