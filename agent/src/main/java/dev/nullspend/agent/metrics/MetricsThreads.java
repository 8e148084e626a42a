package dev.nullspend.agent.metrics;

import java.util.concurrent.ThreadFactory;

/** The exporters' threads: daemons (the program's exit never waits for them) named {@code nullspend-metrics-…}. */
public final class MetricsThreads {
    private MetricsThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setContextClassLoader(null); // pins no program class loader
            return t;
        };
    }
}
