package dev.nullspend.bench;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.guard.AdmissionRequest;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.guard.Reservation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The guard's decision for one call: {@code Guard.admit} then {@code Reservation.settle}, on one
 * thread and on 16 sharing one guard (its single lock). {@code budget}: a spend limit only (loop
 * detection off); {@code budget+velocity+loop}: also a velocity limit and loop detection, every call
 * with its own request body, so the 1 KB body is hashed and no call is a repeat. Limits are high
 * enough never to deny. Needs the agent's classes on the class path (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardBenchmark {
    private static final long ESTIMATE_MICROS = 5_000;
    private static final long ACTUAL_MICROS = 3_000;

    @Param({"budget", "budget+velocity+loop"})
    public String limits;

    private Guard guard;

    /** One thread's request body; its first bytes count the thread's calls so that no two bodies repeat. */
    @State(Scope.Thread)
    public static class Body {
        private static final String PROMPT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "Summarise the quarterly report. ".repeat(30) + "\"}]}";
        final byte[] bytes = PROMPT.getBytes(StandardCharsets.UTF_8);
        private final long threadSalt = Thread.currentThread().getId() << 40;
        private long calls;

        byte[] next() {
            long n = threadSalt | calls++;
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (n >>> (8 * i));
            }
            return bytes;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.BUDGET_LIMIT_USD, "1000000");
        if (limits.equals("budget")) {
            settings.put(ConfigKeys.LOOP_MAX_CALLS, "0");
        } else {
            settings.put(ConfigKeys.VELOCITY_LIMIT_USD, "1000000");
        }
        AgentConfig config = AgentConfig.read(new ConfigSource(settings, Map.of(), Map.of(), Map.of(), null));
        guard = Guard.create(config, null);
    }

    @Benchmark
    public Reservation admitAndSettle(Body body) {
        return decide(body);
    }

    @Benchmark
    @Threads(16)
    public Reservation admitAndSettle16Threads(Body body) {
        return decide(body);
    }

    private Reservation decide(Body body) {
        Reservation reservation = guard.admit(new AdmissionRequest("openai", "gpt-4o-mini", body.next(), ESTIMATE_MICROS, CallOwner.NONE));
        reservation.settle(ACTUAL_MICROS);
        return reservation;
    }
}
