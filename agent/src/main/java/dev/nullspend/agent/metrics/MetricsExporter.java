package dev.nullspend.agent.metrics;

/**
 * One exporter of the metrics (Prometheus, OTLP), in the metrics class loader ({@link MetricsClassLoader}):
 * it turns what {@link MetricsRecorder} hands it, with labels already bounded, into its library's
 * instruments. JDK and agent types only, so the core on the bootstrap class path can call it.
 */
public interface MetricsExporter {

    /** One event's figures ({@link EventFigures#llmCall()}: it counts as a call, with its tokens). */
    void record(EventFigures figures);

    void denial(String provider, String model, String code);

    /** Stops serving or pushes one last time; bounded in time, never throws. */
    void close();
}
