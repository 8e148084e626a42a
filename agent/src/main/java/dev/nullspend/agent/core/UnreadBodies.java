package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.policy.RemotePolicyFetcher;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request bodies of calls that may be LLM calls, which a client adapter had to read ahead (the
 * client could not hand them over otherwise) and could not read whole: over
 * {@link Exchange#MAX_BODY_COPY}, failed, or not complete within
 * {@code nullspend.request-body.wait-ms}. Such a call goes on with exactly the program's bytes,
 * recognised and estimated from what was read, if at all; each cause is logged once, every call
 * counted in the exit summary, and {@code nullspend.fail-mode=closed} denies it (a failed body
 * is not denied: the call fails on its own, as without the agent).
 */
public final class UnreadBodies {
    /** Why a body was not read whole. */
    public enum Cause {
        OVER_CAP("larger than " + (Exchange.MAX_BODY_COPY >> 20) + " MiB"),
        FAILED("failed while it was read"),
        SLOW("not complete within " + ConfigKeys.REQUEST_BODY_WAIT_MS);

        private final String says;

        Cause(String says) {
            this.says = says;
        }
    }

    private static final AtomicLongArray COUNTS = new AtomicLongArray(Cause.values().length);
    private static final int DEFAULT_WAIT_MS = 10_000;

    private UnreadBodies() {
    }

    /** How long an adapter waits for a body it reads ahead ({@code nullspend.request-body.wait-ms}). */
    public static long waitMillis() {
        AgentConfig config = config();
        return config == null ? DEFAULT_WAIT_MS : config.requestBodyWaitMs;
    }

    /**
     * A body of a call to {@code exchange}'s URI was not read whole for {@code cause}: logged once
     * per cause and client, counted.
     *
     * @throws NullSpendException {@code budget_unavailable} with fail-mode closed and enforcement on,
     *                            unless the body failed
     */
    public static void report(String client, Cause cause, Exchange exchange) {
        report(config(), client, cause, exchange);
    }

    static void report(AgentConfig config, String client, Cause cause, Exchange exchange) {
        COUNTS.incrementAndGet(cause.ordinal());
        boolean deny = cause != Cause.FAILED && config != null && config.failMode == AgentConfig.FailMode.CLOSED
                && config.enforcement == AgentConfig.Enforcement.ON;
        AgentLog.warnOnce("unread-body:" + client + ":" + cause, "the request body of a possible LLM call ("
                + exchange.method() + " " + exchange.host() + exchange.path() + ", " + client + ") was " + cause.says
                + ": " + (deny ? ConfigKeys.FAIL_MODE + "=closed denies such calls"
                : "such calls go on with the program's bytes, costed only if recognised from what was read")
                + " (counted in the summary)");
        if (deny) {
            throw new NullSpendException(RemotePolicyFetcher.UNAVAILABLE_CODE, "Request body unread: the NullSpend agent"
                    + " could not read this call's request body before sending (" + cause.says + "), so it cannot check"
                    + " it, and " + ConfigKeys.FAIL_MODE + "=closed denies LLM calls it cannot check.",
                    new Recovery(false, true, null, null));
        }
    }

    /** The summary's line on such bodies, or {@code null} when there were none. */
    static String summaryLine() {
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (Cause cause : Cause.values()) {
            long n = COUNTS.get(cause.ordinal());
            if (n > 0) {
                parts.add(n + " " + cause.says);
                total += n;
            }
        }
        return total == 0 ? null : total + (total == 1 ? " request body" : " request bodies")
                + " of possible LLM calls could not be read whole before sending: " + String.join(", ", parts);
    }

    /** Counts back to zero (tests). */
    static void reset() {
        for (int i = 0; i < COUNTS.length(); i++) {
            COUNTS.set(i, 0);
        }
    }

    private static AgentConfig config() {
        AgentRuntime rt = AgentRuntime.current();
        if (rt != null) {
            return rt.config();
        }
        AgentStartup startup = AgentStartup.current();
        return startup == null ? null : startup.config();
    }
}
