package dev.nullspend.agent.facade;

import dev.nullspend.agent.api.ApiException;
import dev.nullspend.agent.api.Deadline;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.api.PlainJson;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionUpdate;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostSummary;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facade's endpoints on the agent's {@link NullSpendApiClient} (its headers, retries,
 * idempotency keys and rate limit, shared with the event reporter): request bodies out, records
 * in. Failures stay {@link IOException}s here ({@link ApiException} with its HTTP status, or
 * {@link ApiAnswers.MalformedAnswer}), so that {@link ActionFlow} can tell a 409 apart.
 */
final class ApiCalls {
    private final NullSpendApiClient client;

    ApiCalls(NullSpendApiClient client) {
        this.client = client;
    }

    List<BudgetStatus> budgetStatus() throws IOException {
        return ApiAnswers.budgetStatus(client.budgetStatus(Deadline.NONE).body());
    }

    List<Budget> budgets() throws IOException {
        return ApiAnswers.budgets(client.budgets(Deadline.NONE).body());
    }

    CostSummary costSummary(String period) throws IOException {
        return ApiAnswers.costSummary(client.costSummary(period, Deadline.NONE).body(), period);
    }

    /** Optional fields are left out when null, as the reference SDK does (the server then uses its defaults). */
    ActionCreated createAction(String agentId, String actionType, Map<String, ?> payload, Map<String, ?> metadata,
                               Integer expiresInSeconds) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("actionType", actionType);
        body.put("payload", payload);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        if (expiresInSeconds != null) {
            body.put("expiresInSeconds", expiresInSeconds);
        }
        return ApiAnswers.actionCreated(client.createAction(PlainJson.write(body), Deadline.NONE).body());
    }

    Action action(String id, Deadline deadline) throws IOException {
        return ApiAnswers.action(client.action(id, deadline).body());
    }

    ActionUpdate markResult(String id, String status, Map<String, ?> result, String errorMessage) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (result != null) {
            body.put("result", result);
        }
        if (errorMessage != null) {
            body.put("errorMessage", errorMessage);
        }
        return ApiAnswers.actionUpdate(client.actionResult(id, PlainJson.write(body), Deadline.NONE).body(), id, status);
    }
}
