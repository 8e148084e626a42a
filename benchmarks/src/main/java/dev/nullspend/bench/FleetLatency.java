package dev.nullspend.bench;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.config.ConfigSource;
import dev.nullspend.agent.fleet.Fleet;
import dev.nullspend.agent.guard.AdmissionRequest;
import dev.nullspend.agent.guard.CallOwner;
import dev.nullspend.agent.guard.Guard;
import dev.nullspend.agent.guard.SharedLimits;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Fleet mode's cost per LLM call (docs/performance.md): {@code Guard.admit} then
 * {@code Reservation.settle} against a Redis, each call timed on its own (p50, p99, p99.9), beside
 * the same guard without Redis; then admissions per second with several threads. The budget is high
 * enough never to deny. Needs the agent jar on the class path and a running Redis:
 * {@code java -cp benchmarks/target/benchmarks.jar:agent/target/nullspend-agent.jar
 * dev.nullspend.bench.FleetLatency redis://127.0.0.1:6399 20000 8}.
 */
public final class FleetLatency {
    private FleetLatency() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Map<String, String> settings = new HashMap<>();
        settings.put(ConfigKeys.BUDGET_LIMIT_USD, "1000000");
        settings.put(ConfigKeys.LOOP_MAX_CALLS, "0");
        settings.put(ConfigKeys.LEDGER, "off");
        Guard local = Guard.create(config(settings), null);
        settings.put(ConfigKeys.REDIS_URL, url);
        settings.put(ConfigKeys.REDIS_KEY_PREFIX, "bench:" + System.nanoTime() + ":");
        settings.put(ConfigKeys.REDIS_TIMEOUT_MS, "1000");
        AgentConfig fleetConfig = config(settings);
        SharedLimits store = Fleet.start(fleetConfig);
        Guard fleet = Guard.create(fleetConfig, null, store);

        report("local guard", time(local, calls));
        report("fleet (Redis)", time(fleet, calls));
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                time(fleet, calls / threads);
                done.countDown();
            }).start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        // time() makes each thread's calls twice: once to warm up, once timed.
        System.out.printf("fleet, %d threads: %,.0f admissions/s%n", threads, 2.0 * (calls / threads * threads) / seconds);
        store.close();
    }

    private static AgentConfig config(Map<String, String> settings) {
        return AgentConfig.read(new ConfigSource(settings, Map.of(), Map.of(), Map.of(), null));
    }

    /** Nanoseconds of each admit + settle, after as many untimed ones to warm up. */
    private static long[] time(Guard guard, int calls) {
        AdmissionRequest request = new AdmissionRequest("openai", "gpt-4o-mini", null, 5_000, CallOwner.NONE);
        for (int i = 0; i < calls; i++) {
            guard.admit(request).settle(3_000);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            guard.admit(request).settle(3_000);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf("%s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs (%d calls)%n", what, nanos[nanos.length / 2] / 1e3,
                nanos[(int) (nanos.length * 0.99)] / 1e3, nanos[(int) (nanos.length * 0.999)] / 1e3, nanos.length);
    }
}
