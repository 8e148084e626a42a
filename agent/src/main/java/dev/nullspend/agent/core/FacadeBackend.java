package dev.nullspend.agent.core;

import dev.nullspend.agent.facade.FacadeApi;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.Action;
import dev.nullspend.api.ActionCreated;
import dev.nullspend.api.ActionTask;
import dev.nullspend.api.ActionUpdate;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.Budget;
import dev.nullspend.api.BudgetStatus;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.CostSummary;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent behind the program's {@link NullSpend} facade: events it reports take the core's one
 * path; its NullSpend API calls go to {@link FacadeApi}, which exists only with {@code nullspend.api-key}.
 */
final class FacadeBackend implements NullSpend.Backend {
    private final AgentRuntime runtime;
    private final FacadeApi api;

    /** @param api null without {@code nullspend.api-key}: the API calls then say how to set one */
    FacadeBackend(AgentRuntime runtime, FacadeApi api) {
        this.runtime = runtime;
        this.api = api;
    }

    @Override
    public void report(CostEvent event) {
        try {
            CostEvent e = event.idempotencyKey() == null
                    ? event.toBuilder().idempotencyKey(CostEvents.idempotencyKey()).build() : event;
            runtime.record(e);
        } catch (Throwable t) {
            AgentLog.warnOnce("facade-report:" + t.getClass().getName(), "could not record a reported cost event", t);
        }
    }

    @Override
    public CostEvent.Builder newEvent() {
        return CostEvents.attributed(runtime.config(), Attribution.current()).eventType(CostEvent.Type.CUSTOM);
    }

    @Override
    public List<BudgetStatus> budgetStatus() {
        return api("budgetStatus()").budgetStatus();
    }

    @Override
    public List<Budget> budgets() {
        return api("budgets()").budgets();
    }

    @Override
    public CostSummary costSummary(String period) {
        return api("costSummary()").costSummary(period);
    }

    @Override
    public ActionCreated createAction(String agentId, String actionType, Map<String, ?> payload,
                                      Map<String, ?> metadata, Integer expiresInSeconds) {
        return api("createAction()").createAction(agentId, actionType, payload, metadata, expiresInSeconds);
    }

    @Override
    public Action getAction(String id) {
        return api("getAction()").getAction(id);
    }

    @Override
    public ActionUpdate markResult(String id, String status, Map<String, ?> result, String errorMessage) {
        return api("markResult()").markResult(id, status, result, errorMessage);
    }

    @Override
    public Action waitForDecision(String id, Duration pollInterval, Duration timeout) {
        return api("waitForDecision()").waitForDecision(id, pollInterval, timeout);
    }

    @Override
    public <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                                     ActionTask<T, E> task, Map<String, ?> metadata,
                                                     Integer expiresInSeconds, Duration pollInterval,
                                                     Duration timeout) throws E {
        return api("proposeAndWait()").proposeAndWait(agentId, actionType, payload, task, metadata, expiresInSeconds,
                pollInterval, timeout);
    }

    private FacadeApi api(String method) {
        if (api == null) {
            throw new NullSpendException("api_key_missing", "NullSpend." + method + " calls the NullSpend API, and "
                    + "the agent has no API key: set nullspend.api-key (-Dnullspend.api-key=ns_live_sk_… or the "
                    + "environment variable NULLSPEND_API_KEY); get a key at https://nullspend.dev/app/keys", null);
        }
        return api;
    }
}
