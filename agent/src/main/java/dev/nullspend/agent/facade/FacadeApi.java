package dev.nullspend.agent.facade;

import dev.nullspend.agent.api.ApiClock;
import dev.nullspend.agent.api.Deadline;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionTask;
import dev.nullspend.api.ActionUpdate;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The NullSpend API half of the program's {@link NullSpend} facade: budget status, budgets, cost
 * summary and actions, on the agent's API client. Runs on the program's calling thread and
 * blocks it; every failure is a {@link NullSpendException} (see {@link ApiErrors} for the codes).
 */
public final class FacadeApi {
    private final ApiCalls calls;
    private final ActionFlow actions;

    public FacadeApi(NullSpendApiClient client) {
        this(client, ApiClock.SYSTEM);
    }

    FacadeApi(NullSpendApiClient client, ApiClock clock) {
        this.calls = new ApiCalls(client);
        this.actions = new ActionFlow(calls, clock);
    }

    public List<BudgetStatus> budgetStatus() {
        try {
            return calls.budgetStatus();
        } catch (IOException e) {
            throw ApiErrors.of("GET /api/budgets/status", e);
        }
    }

    public List<Budget> budgets() {
        try {
            return calls.budgets();
        } catch (IOException e) {
            throw ApiErrors.of("GET /api/budgets", e);
        }
    }

    public CostSummary costSummary(String period) {
        try {
            return calls.costSummary(period);
        } catch (IOException e) {
            throw ApiErrors.of("GET /api/cost-events/summary", e);
        }
    }

    public ActionCreated createAction(String agentId, String actionType, Map<String, ?> payload,
                                      Map<String, ?> metadata, Integer expiresInSeconds) {
        try {
            return calls.createAction(agentId, actionType, payload, metadata, expiresInSeconds);
        } catch (IOException e) {
            throw ApiErrors.of("POST /api/actions", e);
        }
    }

    public Action getAction(String id) {
        try {
            return calls.action(id, Deadline.NONE);
        } catch (IOException e) {
            throw ApiErrors.of("GET /api/actions/" + id, e);
        }
    }

    public ActionUpdate markResult(String id, String status, Map<String, ?> result, String errorMessage) {
        try {
            return calls.markResult(id, status, result, errorMessage);
        } catch (IOException e) {
            throw ApiErrors.of("POST /api/actions/" + id + "/result", e);
        }
    }

    public Action waitForDecision(String id, Duration pollInterval, Duration timeout) {
        return actions.waitForDecision(id, pollInterval, timeout);
    }

    public <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                                     ActionTask<T, E> task, Map<String, ?> metadata,
                                                     Integer expiresInSeconds, Duration pollInterval,
                                                     Duration timeout) throws E {
        return actions.proposeAndWait(agentId, actionType, payload, task, metadata, expiresInSeconds, pollInterval,
                timeout);
    }
}
