package dev.nullspend.agent.core;

import dev.nullspend.agent.exchange.Headers;
import dev.nullspend.agent.exchange.ResponseSink;
import dev.nullspend.agent.guard.Reservation;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.CostEvent;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One logical LLM call, from admission to its cost event. Client adapters hand it the response
 * status and headers ({@link #onResponse}) and then every body byte through the returned
 * {@link ResponseSink}; it finishes exactly once, whichever of end, error, cancel or failure
 * comes first, and never throws into the program.
 */
public final class LlmCall implements ResponseSink, BiConsumer<Object, Throwable> {
    private final AgentRuntime runtime;
    private final LlmRequest request;
    private final Reservation reservation;
    /** Captured on the calling thread: an async call finishes elsewhere but keeps its scope. */
    private final Attribution attribution;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private UsageParser parser;
    private boolean parserBroken;

    LlmCall(AgentRuntime runtime, LlmRequest request, Reservation reservation, Attribution attribution) {
        this.runtime = runtime;
        this.request = request;
        this.reservation = reservation;
        this.attribution = attribution;
    }

    public LlmRequest request() {
        return request;
    }

    /**
     * The response arrived. Returns the sink for its body, or {@code null} when the body need
     * not be read: a non-2xx answer costs nothing and ends the call here.
     */
    public ResponseSink onResponse(int status, Headers headers) {
        try {
            if (status < 200 || status > 299) {
                if (finished.compareAndSet(false, true)) {
                    reservation.release();
                }
                return null;
            }
            UsageParser p = request.newParser(headers.first("content-type"));
            parser = ContentDecoding.decoding(headers.first("content-encoding"), p);
        } catch (Throwable t) {
            broken(t);
        }
        return this;
    }

    /** The request failed before a response arrived (connection refused, timeout …): nothing to bill. */
    public void onFailure(Throwable error) {
        if (finished.compareAndSet(false, true)) {
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
        if (parserBroken || parser == null || finished.get()) {
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

    private void finish(boolean cutShort) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            Usage usage = null;
            boolean outputCounted = true;
            String responseModel = null;
            if (parser != null && !parserBroken) {
                parser.end();
                usage = parser.usage();
                outputCounted = parser.outputCounted();
                responseModel = parser.responseModel();
            }
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000L;
            CostEvent event = CostEvents.llm(runtime, request, attribution, usage, outputCounted, responseModel,
                    durationMs, cutShort, reservation.tags());
            reservation.settle(event.costMicrodollars());
            runtime.record(event);
        } catch (Throwable t) {
            // Budgets must still see the call: its estimate is what it may have cost.
            reservation.settle(reservation.estimateMicros());
            AgentLog.warnOnce("finish:" + t.getClass().getName(), "internal error while costing an LLM call", t);
        }
    }
}
