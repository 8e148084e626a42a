package dev.nullspend.agent.facade;

import dev.nullspend.agent.api.ApiClock;
import dev.nullspend.agent.api.ApiException;
import dev.nullspend.agent.api.Deadline;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionRejectedException;
import dev.nullspend.api.ActionTask;
import dev.nullspend.api.ActionTimeoutException;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Waiting for a person's decision and acting on it (docs/nullspend-api-contract.md#human-in-the-loop-actions), step by step as the
 * reference SDK's {@code wait_for_decision} and {@code propose_and_wait}.
 */
final class ActionFlow {
    /** The API's limit for {@code errorMessage}; a longer text would get the {@code failed} mark refused. */
    static final int MAX_ERROR_MESSAGE = 4000;

    private final ApiCalls calls;
    private final ApiClock clock;

    ActionFlow(ApiCalls calls, ApiClock clock) {
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * GETs the action every {@code pollInterval} (the last sleep shortened to the deadline) until
     * it is not {@code pending}. Each GET is bounded by the deadline too: one that cannot finish
     * in time (the rate limiter's wait included) ends the wait as a timeout.
     */
    Action waitForDecision(String id, Duration pollInterval, Duration timeout) {
        long timeoutNanos = timeout.toNanos();
        long deadline = clock.nanoTime() + timeoutNanos;
        for (long left; (left = deadline - clock.nanoTime()) > 0; ) {
            Action action;
            try {
                action = calls.action(id, () -> deadline - clock.nanoTime());
            } catch (ApiException e) {
                if (e.kind() == ApiException.Kind.ABANDONED) {
                    break;
                }
                throw ApiErrors.of("GET /api/actions/" + id, e);
            } catch (IOException e) {
                throw ApiErrors.of("GET /api/actions/" + id, e);
            }
            if (!action.isPending()) {
                return action;
            }
            left = deadline - clock.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                clock.sleepNanos(Math.min(pollInterval.toNanos(), left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NullSpendException("action_wait_interrupted", "The wait for a decision on action " + id
                        + " was interrupted; the action is still pending", null, e);
            }
        }
        throw new ActionTimeoutException(id, timeout.toMillis());
    }

    <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                              ActionTask<T, E> task, Map<String, ?> metadata,
                                              Integer expiresInSeconds, Duration pollInterval, Duration timeout)
            throws E {
        ActionCreated created;
        try {
            created = calls.createAction(agentId, actionType, payload, metadata, expiresInSeconds);
        } catch (IOException e) {
            throw ApiErrors.of("POST /api/actions", e);
        }
        String id = created.id();
        Action decision = waitForDecision(id, pollInterval, timeout);
        if (!Action.APPROVED.equals(decision.status())) {
            throw new ActionRejectedException(id, decision.status());
        }
        mark(id, Action.EXECUTING, null);
        T result;
        // The task's calls carry the action's id (to a NullSpend proxy: X-NullSpend-Action-Id).
        try (Attribution.Scope ignored = NullSpend.attribute().actionId(id).open()) {
            result = task.execute(id);
        } catch (Throwable t) {
            markFailed(id, t);
            throw t;
        }
        mark(id, Action.EXECUTED, asResult(result));
        return result;
    }

    /** A result map as it is; anything else wrapped as {@code {"value": result}}. */
    static Map<String, ?> asResult(Object result) {
        if (result instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("value", result); // null stays a JSON null
        return wrapped;
    }

    /** Sets a status; a 409 is fine when the action has it already (a retried request the server had processed). */
    private void mark(String id, String status, Map<String, ?> result) {
        String request = "POST /api/actions/" + id + "/result";
        try {
            calls.markResult(id, status, result, null);
        } catch (ApiException e) {
            if (e.status() != 409 || !status.equals(currentStatus(id))) {
                throw ApiErrors.of(request, e);
            }
        } catch (IOException e) {
            throw ApiErrors.of(request, e);
        }
    }

    private String currentStatus(String id) {
        try {
            return calls.action(id, Deadline.NONE).status();
        } catch (IOException e) {
            throw ApiErrors.of("GET /api/actions/" + id, e);
        }
    }

    /** Marks the action failed with the task's exception; the program gets that exception, not a marking error. */
    private void markFailed(String id, Throwable failure) {
        String text = String.valueOf(failure);
        if (text.length() > MAX_ERROR_MESSAGE) {
            text = text.substring(0, MAX_ERROR_MESSAGE);
        }
        try {
            calls.markResult(id, Action.FAILED, null, text);
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("facade-mark-failed", "could not mark action " + id + " failed after its task threw: " + e);
        }
    }
}
