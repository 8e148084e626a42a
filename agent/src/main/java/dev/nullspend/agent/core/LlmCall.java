package dev.nullspend.agent.core;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.RequestRewrite;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.guard.Reservation;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.proxy.ProxyDenials;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.NullSpendException;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One logical LLM call, from admission to its cost event. Client adapters hand it the response
 * status and headers ({@link #onResponse}) and then every body byte through the returned
 * {@link ResponseSink}; it finishes exactly once, whichever of end, error, cancel or failure
 * comes first, and never throws into the program. The parser is not thread-safe: a finish that
 * comes from another thread while the client's thread feeds it (the program closed its body) is
 * left to the feeding thread, which finishes the call as soon as its feed returns.
 *
 * <p>When the agent changed the request ({@link #rewrite()}, e.g. asked an OpenAI stream for its
 * usage), the adapter sends the rewritten request instead and puts {@link #responseFilter()}
 * between the response and the program, so the program reads what it asked for.
 *
 * <p>A call to the NullSpend proxy ({@link #proxied}) is not costed here: the proxy costs it.
 * It only carries the proxy headers (its rewrite) and turns the proxy's denials into the typed
 * exceptions: the adapter asks {@link #mayBeDenial} of each response and, when true, reads the
 * (small, bounded) body and asks {@link #denial}.
 */
public final class LlmCall implements ResponseSink, BiConsumer<Object, Throwable> {
    private static final int IDLE = 0;
    private static final int FEEDING = 1;
    /** Finished (normally, or cut short) while a feed ran: the feeding thread finishes the call. */
    private static final int ENDED_WHILE_FEEDING = 2;
    private static final int CUT_WHILE_FEEDING = 3;
    private static final int FINISHED = 4;

    private final AgentRuntime runtime;
    private final LlmRequest request;
    private final Reservation reservation;
    /** Captured on the calling thread: an async call finishes elsewhere but keeps its scope. */
    private final Attribution attribution;
    /** What to send instead of the program's request, or null. */
    private final RequestRewrite rewrite;
    /** The provider's API replaced the body: it may filter the response back to what the program asked for. */
    private final boolean bodyRewritten;
    private ResponseFilter filter;
    /** A call to the NullSpend proxy: no request to cost, no reservation. */
    private final boolean proxied;
    private final long startNanos = System.nanoTime();
    /** {@link #IDLE}, {@link #FEEDING}, {@link #ENDED_WHILE_FEEDING}, {@link #CUT_WHILE_FEEDING} or {@link #FINISHED}. */
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private UsageParser parser;
    private boolean parserBroken;

    LlmCall(AgentRuntime runtime, LlmRequest request, Reservation reservation, Attribution attribution,
            RequestRewrite rewrite, boolean bodyRewritten) {
        this.runtime = runtime;
        this.request = request;
        this.reservation = reservation;
        this.attribution = attribution;
        this.rewrite = rewrite;
        this.bodyRewritten = bodyRewritten;
        this.proxied = request == null;
    }

    /** A call to the NullSpend proxy with {@code headers} (may be null) added to it. */
    static LlmCall proxied(AgentRuntime runtime, RequestRewrite headers, Attribution attribution) {
        return new LlmCall(runtime, null, null, attribution, headers, false);
    }

    /**
     * True when this response may be a denial of the NullSpend proxy: the adapter must then read its
     * body, at most {@link ProxyDenials#MAX_BODY} bytes, and ask {@link #denial}. Only for proxied calls
     * while enforcement is on (dry-run and off hand the program the proxy's response).
     */
    public boolean mayBeDenial(int status, Headers headers) {
        try {
            return proxied && runtime.config().enforcement == AgentConfig.Enforcement.ON
                    && ProxyDenials.isCandidate(status, headers);
        } catch (Throwable t) {
            AgentLog.warnOnce("proxy-candidate:" + t.getClass().getName(), "internal error while reading a proxy response", t);
            return false;
        }
    }

    /**
     * The typed denial the proxy's response reports, to deliver to the program instead of the
     * response (sync: thrown; async: the future or callback fails), or {@code null}: the program
     * gets the response, with the same body.
     */
    public NullSpendException denial(int status, Headers headers, byte[] body) {
        try {
            NullSpendException denial = mayBeDenial(status, headers) ? ProxyDenials.map(status, headers, body) : null;
            if (denial != null) {
                AgentLog.debug("the NullSpend proxy denied a call: " + denial.getMessage());
                runtime.metrics().denial(null, null, denial.code()); // the proxy recognised the call, not the agent
            }
            return denial;
        } catch (Throwable t) {
            AgentLog.warnOnce("proxy-denial:" + t.getClass().getName(), "internal error while reading a proxy denial", t);
            return null;
        }
    }

    /** What the adapter must send instead of the program's request, or {@code null}: send it as it is. */
    public RequestRewrite rewrite() {
        return rewrite;
    }

    /**
     * After {@link #onResponse}: the filter between the response body and the program, or
     * {@code null} when the program reads the body as it came. Only a call whose body the
     * provider's API rewrote may have one ({@code LlmApi.responseFilter}: a stream whose usage the
     * agent asked for, when its bytes are plain SSE).
     */
    public ResponseFilter responseFilter() {
        return filter;
    }

    public LlmRequest request() {
        return request;
    }

    /**
     * The response arrived. Returns the sink for its body, or {@code null} when the body need
     * not be read: a non-2xx answer costs nothing and ends the call here.
     */
    public ResponseSink onResponse(int status, Headers headers) {
        if (proxied) {
            return null;
        }
        try {
            if (status < 200 || status > 299) {
                if (state.compareAndSet(IDLE, FINISHED)) {
                    reservation.release();
                }
                return null;
            }
            String contentType = headers.first("content-type");
            String encoding = headers.first("content-encoding");
            if (bodyRewritten) {
                filter = request.api().responseFilter(request, contentType, encoding);
            }
            UsageParser p = request.newParser(contentType);
            parser = ContentDecoding.decoding(encoding, p);
        } catch (Throwable t) {
            broken(t);
        }
        return this;
    }

    /** The request failed before a response arrived (connection refused, timeout …): nothing to bill. */
    public void onFailure(Throwable error) {
        if (!proxied && state.compareAndSet(IDLE, FINISHED)) {
            reservation.release();
            AgentLog.debug("LLM call failed before a response: " + error);
        }
    }

    /** Completion of an async request's future: a failure before any response ends the call. */
    @Override
    public void accept(Object response, Throwable error) {
        if (error != null) {
            onFailure(error);
        }
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (parserBroken || parser == null || !state.compareAndSet(IDLE, FEEDING)) {
            return;
        }
        try {
            if ("parser".equals(runtime.config().internalFault)) {
                throw new IllegalStateException("fault injected by nullspend.internal.fault=parser");
            }
            parser.feed(bytes);
        } catch (Throwable t) {
            broken(t);
        }
        if (!state.compareAndSet(FEEDING, IDLE)) {
            settle(state.getAndSet(FINISHED) == CUT_WHILE_FEEDING); // finished meanwhile: the end is ours
        }
    }

    @Override
    public void onComplete() {
        finish(false);
    }

    @Override
    public void onError(Throwable error) {
        finish(true);
    }

    @Override
    public void onCancel() {
        finish(true);
    }

    private void broken(Throwable t) {
        parserBroken = true;
        AgentLog.warnOnce("parser:" + request.provider() + ":" + t.getClass().getName(),
                "could not read usage from a " + request.provider() + " response (" + t
                        + "); the program's data is untouched and the call is billed at its estimate");
    }

    /** Settles the call now, or, while another thread feeds the parser, leaves that to it (no lock on the feed). */
    private void finish(boolean cutShort) {
        while (true) {
            int s = state.get();
            if (s == IDLE && state.compareAndSet(IDLE, FINISHED)) {
                settle(cutShort);
                return;
            }
            if (s == FEEDING && state.compareAndSet(FEEDING, cutShort ? CUT_WHILE_FEEDING : ENDED_WHILE_FEEDING)) {
                return;
            }
            if (s != IDLE && s != FEEDING) {
                return; // finished, or finishing
            }
        }
    }

    /** Ends the parser and records the call's event; runs once, with no feed running. */
    private void settle(boolean cutShort) {
        try {
            Usage usage = null;
            boolean outputCounted = true;
            String responseModel = null;
            if (parser != null && !parserBroken) {
                parser.end();
                usage = parser.usage();
                // A format that leaves out a zero output count is final without one, unless cut short.
                outputCounted = parser.outputCounted() || (!cutShort && parser.omitsZeroOutput());
                responseModel = parser.responseModel();
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000L;
            CostEvent event = CostEvents.llm(runtime, request, attribution, usage, outputCounted, responseModel,
                    durationMs, cutShort, reservation.tags());
            reservation.settle(event.costMicrodollars());
            runtime.record(event, request.endpoint());
        } catch (Throwable t) {
            // Budgets must still see the call: its estimate is what it may have cost.
            reservation.settle(reservation.estimateMicros());
            AgentLog.warnOnce("finish:" + t.getClass().getName(), "internal error while costing an LLM call", t);
        }
    }
}
