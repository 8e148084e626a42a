package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.instrumentation.UninstrumentedLoaders;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.policy.RemotePolicyFetcher;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.unseen.UnseenTraffic;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's start as LLM calls see it, from premain until the core runtime is installed. The
 * instrumentation is installed without waiting for the core (whose start can take long: a large
 * ledger to restore, a ledger on a blocked path), so a call can reach {@link LlmCalls#begin}
 * before there is a runtime to cost and check it. Such a call waits for the runtime until
 * {@code nullspend.startup.wait-ms} after the agent's start; after that {@code nullspend.fail-mode}
 * decides: {@code open} lets it through (logged once, counted in the summary), {@code closed}
 * denies it with {@code budget_unavailable} before any byte is sent. Never silent.
 */
public final class AgentStartup {
    private static volatile AgentStartup current;

    private final AgentConfig config;
    private final long startNanos;
    private final long deadlineNanos;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean failed;
    /** Built on the first call that comes before the runtime: most runs never need it. */
    private volatile CallTargets targets;
    // Unsafe-based atomics: made in premain, where VarHandle-based ones would load their machinery.
    private final AtomicLong unchecked = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicInteger said = new AtomicInteger();

    AgentStartup(AgentConfig config, long startNanos) {
        this.config = config;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(config.startupWaitMs);
    }

    /** Called in premain once the configuration is valid and the agent enabled. */
    public static AgentStartup begin(AgentConfig config) {
        AgentStartup startup = new AgentStartup(config, System.nanoTime());
        current = startup;
        return startup;
    }

    /** The start of this JVM's agent, or {@code null} without one. */
    static AgentStartup current() {
        return current;
    }

    /** {@link System#nanoTime()} until which calls and gated classes wait for the agent. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** The runtime is installed: waiting calls go on with it. */
    public void ready() {
        settled.countDown();
    }

    /** The start failed and the agent is disabled (already logged): calls go on untouched. */
    public void failed() {
        failed = true;
        settled.countDown();
    }

    /**
     * For a call that came while {@link AgentRuntime#current()} was {@code null}: the runtime to
     * handle it, once ready within the wait; {@code null} when the call is none of the agent's
     * business, when the start failed, or when fail-mode open (or enforcement dry-run or off)
     * lets it through unchecked.
     *
     * @throws NullSpendException {@code budget_unavailable} with fail-mode closed and enforcement on
     */
    AgentRuntime runtimeFor(Exchange exchange) {
        String call = describe(exchange);
        if (call == null) {
            return null;
        }
        AgentRuntime rt = awaitRuntime();
        if (rt != null || failed) {
            return rt;
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (config.failMode == AgentConfig.FailMode.CLOSED && config.enforcement == AgentConfig.Enforcement.ON) {
            denied.incrementAndGet();
            sayOnce("an LLM call (" + call + ") came before the agent was ready ("
                    + seconds(waitedMs) + " after its start); " + ConfigKeys.FAIL_MODE + "=closed denies it with "
                    + RemotePolicyFetcher.UNAVAILABLE_CODE + ", as every call until the agent is ready (counted in the summary)");
            throw unavailable(waitedMs);
        }
        unchecked.incrementAndGet();
        sayOnce("an LLM call (" + call + ") came before the agent was ready ("
                + seconds(waitedMs) + " after its start); " + throughBecause() + " lets it through neither costed"
                + " nor checked, as every call until the agent is ready (counted in the summary)");
        return null;
    }

    /** What lets an early call through: fail-mode open, or an enforcement that never denies (dry-run, off). */
    private String throughBecause() {
        if (config.failMode == AgentConfig.FailMode.OPEN) {
            return ConfigKeys.FAIL_MODE + "=open";
        }
        return ConfigKeys.ENFORCEMENT + "=" + config.enforcement.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The first early call is logged, the others only counted: a blocked start can see many. */
    private void sayOnce(String line) {
        if (said.compareAndSet(0, 1)) {
            AgentLog.warn(line);
        }
    }

    /** {@code "openai gpt-4o-mini"}, {@code "NullSpend proxy"}, or null when the agent would leave the call alone. */
    private String describe(Exchange exchange) {
        CallTargets t = targets();
        if (t.isOwnTraffic(exchange.uri())) {
            return null;
        }
        if (t.isProxied(exchange.uri())) {
            return "NullSpend proxy";
        }
        LlmRequest request = t.recognize(exchange);
        return request == null ? null : request.provider() + " " + request.model();
    }

    /** Where calls go as the configuration says, built on first use while the runtime is not ready. */
    CallTargets targets() {
        CallTargets t = targets;
        if (t == null) {
            t = CallTargets.of(config);
            targets = t;
        }
        return t;
    }

    AgentConfig config() {
        return config;
    }

    private AgentRuntime awaitRuntime() {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            try {
                settled.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return AgentRuntime.current();
    }

    private NullSpendException unavailable(long waitedMs) {
        return new NullSpendException(RemotePolicyFetcher.UNAVAILABLE_CODE, "Agent not ready: the NullSpend agent is"
                + " still starting (" + seconds(waitedMs) + " after its start, " + ConfigKeys.STARTUP_WAIT_MS + "="
                + config.startupWaitMs + "), and " + ConfigKeys.FAIL_MODE + "=closed denies LLM calls it cannot check yet."
                + " Retry in 1s; if the start stays slow, check the agent's log (e.g. the ledger "
                + ConfigKeys.LEDGER + " it restores at start).", new Recovery(true, false, 1, null));
    }

    /** The summary's line on calls that came before the agent was ready, or {@code null} when none did. */
    static String earlyCallsLine() {
        AgentStartup startup = current;
        return startup == null ? null : startup.earlyCalls();
    }

    String earlyCalls() {
        long open = unchecked.get();
        long closed = denied.get();
        if (open > 0) {
            return calls(open) + " came before the agent was ready and went through unchecked (" + throughBecause() + ")";
        }
        if (closed > 0) {
            return calls(closed) + " came before the agent was ready and " + (closed == 1 ? "was" : "were") + " denied with "
                    + RemotePolicyFetcher.UNAVAILABLE_CODE + " (" + ConfigKeys.FAIL_MODE + "=closed)";
        }
        return null;
    }

    /**
     * At exit: the runtime's summary when it was installed (it adds the line on early calls),
     * else a line saying the start had not finished, so that a slow start is never silent.
     * Nothing after a failed start (the agent said then that it is disabled).
     */
    public void shutdown() {
        AgentRuntime rt = AgentRuntime.current();
        if (rt != null) {
            rt.shutdown();
            return;
        }
        UnseenTraffic.warnSummary(); // the socket-connect watch runs without the core
        if (!failed) {
            String early = earlyCalls();
            if (early != null) {
                AgentLog.warn("NullSpend summary: the agent had not finished starting at exit ("
                        + seconds(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)) + "); " + early);
            } else if (AgentLog.isDebug()) {
                // A program that ends before the agent is ready, with no LLM call, missed nothing: no warning.
                AgentLog.debug("the agent had not finished starting at exit; no LLM call came");
            }
            UninstrumentedLoaders.warnInSummary();
        }
    }

    private static String calls(long n) {
        return String.format(Locale.ROOT, "%,d LLM call%s", n, n == 1 ? "" : "s");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
