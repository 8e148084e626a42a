package dev.nullspend.api;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The few lines of code a program may want on top of the agent's zero-code tracking: report a
 * cost, cost a tool call, and attribute costs to a session, customer, trace or tags.
 *
 * <pre>{@code
 * try (var scope = NullSpend.attribute().session("checkout-7").customer("acme").open()) {
 *     agent.run();                               // every LLM call inside is attributed
 * }
 * Result r = NullSpend.track(search(query), 0.02, "web_search");
 * }</pre>
 *
 * Without the agent ({@link #isActive()} false) every tracking call is a no-op, so a program
 * that uses this class runs unchanged with or without {@code -javaagent}.
 *
 * <p>The NullSpend API calls ({@link #budgetStatus()}, {@link #budgets()}, {@link #costSummary},
 * the actions and {@link #proposeAndWait}) need the agent and its {@code nullspend.api-key}: without
 * either they throw a {@link NullSpendException} that says what is missing ({@code agent_not_running},
 * {@code api_key_missing}). They block the calling thread (the agent's retries included, at most 3
 * attempts of 30 s each) and throw a {@link NullSpendException} when the API refuses the request
 * (the server's {@code error.code} and message) or cannot be reached ({@code api_unavailable}).
 * Payloads, metadata and results are plain JSON values: {@code Map<String, ?>}, {@code List},
 * {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 */
public final class NullSpend {

    /**
     * What the agent plugs in. Not for programs: the agent installs it once at start-up.
     */
    public interface Backend {
        /** Queues one event (never blocks, never throws). */
        void report(CostEvent event);

        /** A builder with the run's and the current scope's attribution and a fresh idempotency key. */
        CostEvent.Builder newEvent();

        /** {@code GET /api/budgets/status}. */
        List<BudgetStatus> budgetStatus();

        /** {@code GET /api/budgets}. */
        List<Budget> budgets();

        /** {@code GET /api/cost-events/summary?period=}; {@code period} already checked. */
        CostSummary costSummary(String period);

        /** {@code POST /api/actions}; {@code metadata} and {@code expiresInSeconds} may be null (omitted). */
        ActionCreated createAction(String agentId, String actionType, Map<String, ?> payload, Map<String, ?> metadata,
                                   Integer expiresInSeconds);

        /** {@code GET /api/actions/{id}}. */
        Action getAction(String id);

        /** {@code POST /api/actions/{id}/result}; {@code result} and {@code errorMessage} may be null (omitted). */
        ActionUpdate markResult(String id, String status, Map<String, ?> result, String errorMessage);

        /** Polls the action until it is no longer pending; {@link ActionTimeoutException} at the timeout. */
        Action waitForDecision(String id, Duration pollInterval, Duration timeout);

        /** Creates the action, waits for the decision, runs {@code task} once if approved and records its outcome. */
        <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                                  ActionTask<T, E> task, Map<String, ?> metadata,
                                                  Integer expiresInSeconds, Duration pollInterval, Duration timeout)
                throws E;
    }

    /** How often {@link #waitForDecision} and {@link #proposeAndWait} ask for the decision by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** How long they wait for a decision by default. */
    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofMinutes(5);
    /** The action types the API accepts. */
    public static final Set<String> ACTION_TYPES = Set.of("send_email", "http_post", "http_delete", "shell_command",
            "db_write", "file_write", "file_delete", "budget_increase");

    private static final Set<String> SUMMARY_PERIODS = Set.of("7d", "30d", "90d");

    private static final AtomicReference<Backend> BACKEND = new AtomicReference<>();

    private NullSpend() {
    }

    /** Called by the agent; the first backend wins. */
    public static boolean install(Backend backend) {
        return BACKEND.compareAndSet(null, backend);
    }

    /** True when the NullSpend agent is running in this JVM. */
    public static boolean isActive() {
        return BACKEND.get() != null;
    }

    /** Starts an attribution scope on top of the current one; see {@link Attribution}. */
    public static Attribution.Builder attribute() {
        return new Attribution.Builder(Attribution.current());
    }

    /**
     * A builder pre-filled with the run's attribution (session, customer, trace id, tags from the
     * configuration and the current scope) and a fresh idempotency key; {@code null} without the agent.
     */
    public static CostEvent.Builder newEvent() {
        Backend b = BACKEND.get();
        return b == null ? null : b.newEvent();
    }

    /** Reports one cost event; a no-op without the agent. */
    public static void report(CostEvent event) {
        Backend b = BACKEND.get();
        if (b != null && event != null) {
            b.report(event);
        }
    }

    /** Reports several cost events; a no-op without the agent. */
    public static void reportAll(Collection<CostEvent> events) {
        Backend b = BACKEND.get();
        if (b != null && events != null) {
            for (CostEvent e : events) {
                b.report(e);
            }
        }
    }

    /**
     * Costs one tool call at {@code costUsd} and returns {@code result}: for code that cannot use
     * {@link TrackTool}. The cost is converted half-up from its decimal value (0.00397 → 3,970 µ$).
     */
    public static <T> T track(T result, double costUsd, String toolName) {
        return track(result, costUsd, toolName, null, Map.of());
    }

    /** As {@link #track(Object, double, String)} with a tool server and tags. */
    public static <T> T track(T result, double costUsd, String toolName, String toolServer, Map<String, String> tags) {
        Backend b = BACKEND.get();
        if (b != null) {
            if (costUsd < 0 || Double.isNaN(costUsd) || Double.isInfinite(costUsd)) {
                throw new IllegalArgumentException("a tool cost is a non-negative number of dollars, got " + costUsd);
            }
            b.report(b.newEvent()
                    .eventType(CostEvent.Type.TOOL)
                    .provider("tool")
                    .model("custom")
                    .toolName(toolName)
                    .toolServer(toolServer)
                    .tags(tags)
                    .costMicrodollars(Money.toMicros(costUsd))
                    .build());
        }
        return result;
    }

    // ---- the NullSpend API (needs the agent and nullspend.api-key) ----

    /** The budgets that apply to this API key ({@code user} and {@code api_key} entities), with their spend. */
    public static List<BudgetStatus> budgetStatus() {
        return apiBackend("budgetStatus()").budgetStatus();
    }

    /** Every budget of the account, as configured in the dashboard. */
    public static List<Budget> budgets() {
        return apiBackend("budgets()").budgets();
    }

    /** The spend of the last {@code 7d}, {@code 30d} or {@code 90d}. */
    public static CostSummary costSummary(String period) {
        if (!SUMMARY_PERIODS.contains(period)) {
            throw new IllegalArgumentException("period must be 7d, 30d or 90d, got " + period);
        }
        return apiBackend("costSummary()").costSummary(period);
    }

    /**
     * Proposes an action for a person to approve in the dashboard; see {@link #proposeAndWait} for
     * the whole flow.
     *
     * @param agentId          who proposes it, 1–255 characters
     * @param actionType       one of {@link #ACTION_TYPES}
     * @param payload          what the action would do, at most 64 KB as JSON
     * @param metadata         free-form context, at most 16 KB as JSON; {@code null} for none
     * @param expiresInSeconds 0 to 2,592,000 (the server caps it at 7 days); {@code null}: one hour
     */
    public static ActionCreated createAction(String agentId, String actionType, Map<String, ?> payload,
                                             Map<String, ?> metadata, Integer expiresInSeconds) {
        return apiBackend("createAction()").createAction(agentId, actionType, payload, metadata, expiresInSeconds);
    }

    /** The action as it is now. */
    public static Action getAction(String id) {
        return apiBackend("getAction()").getAction(id);
    }

    /**
     * Records how an approved action went: {@code executing} (no result, no error), then
     * {@code executed} (with an optional result) or {@code failed} (with an error message of at
     * most 4,000 characters). A step the state machine does not allow gets a
     * {@link NullSpendException} with code {@code invalid_action_transition}.
     */
    public static ActionUpdate markResult(String id, String status, Map<String, ?> result, String errorMessage) {
        return apiBackend("markResult()").markResult(id, status, result, errorMessage);
    }

    /** {@link #waitForDecision(String, Duration, Duration)} polling every 2 s for at most 5 minutes. */
    public static Action waitForDecision(String id) {
        return waitForDecision(id, DEFAULT_POLL_INTERVAL, DEFAULT_DECISION_TIMEOUT);
    }

    /**
     * Asks for the action every {@code pollInterval} until it is no longer {@code pending} and
     * returns it (approved, rejected, expired …).
     *
     * @throws ActionTimeoutException when it is still pending after {@code timeout}
     */
    public static Action waitForDecision(String id, Duration pollInterval, Duration timeout) {
        checkWait(pollInterval, timeout);
        return apiBackend("waitForDecision()").waitForDecision(id, pollInterval, timeout);
    }

    /** {@link #proposeAndWait(String, String, Map, ActionTask, Map, Integer, Duration, Duration)} with no metadata, the server's expiry, polling every 2 s for at most 5 minutes. */
    public static <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                                            ActionTask<T, E> task) throws E {
        return proposeAndWait(agentId, actionType, payload, task, null, null, DEFAULT_POLL_INTERVAL,
                DEFAULT_DECISION_TIMEOUT);
    }

    /**
     * Runs {@code task} only once a person approved it:
     * <ol>
     *   <li>creates the action ({@link #createAction}) and waits for the decision ({@link #waitForDecision});</li>
     *   <li>not approved (rejected, expired) → {@link ActionRejectedException}, nothing runs;</li>
     *   <li>marks it {@code executing}, runs {@code task.execute(actionId)} once;</li>
     *   <li>the task throws → the action is marked {@code failed} with the exception's text (cut to
     *       4,000 characters; a failure to mark it is ignored) and the exception reaches the caller unchanged;</li>
     *   <li>else marks it {@code executed} with the result (a {@code Map} as it is, anything else as
     *       {@code {"value": result}}) and returns the task's result.</li>
     * </ol>
     * A 409 when marking is ignored if the action already has the status being set (a retried
     * request that the server had processed).
     *
     * @throws ActionTimeoutException  no decision within {@code timeout}
     * @throws ActionRejectedException not approved
     * @throws E                       what the task threw
     */
    public static <T, E extends Exception> T proposeAndWait(String agentId, String actionType, Map<String, ?> payload,
                                                            ActionTask<T, E> task, Map<String, ?> metadata,
                                                            Integer expiresInSeconds, Duration pollInterval,
                                                            Duration timeout) throws E {
        if (task == null) {
            throw new IllegalArgumentException("proposeAndWait needs the task to run once approved");
        }
        checkWait(pollInterval, timeout);
        return apiBackend("proposeAndWait()").proposeAndWait(agentId, actionType, payload, task, metadata,
                expiresInSeconds, pollInterval, timeout);
    }

    /** {@link #requestBudgetIncrease(String, long, String, String, String, long, long, Map, Duration, Duration)} for this API key's budget, polling every 2 s for at most 5 minutes. */
    public static BudgetIncrease requestBudgetIncrease(String agentId, long amountMicrodollars, String reason) {
        return requestBudgetIncrease(agentId, amountMicrodollars, reason, "api_key", "unknown", 0, 0, null,
                DEFAULT_POLL_INTERVAL, DEFAULT_DECISION_TIMEOUT);
    }

    /**
     * Asks a person to raise a budget: a {@code budget_increase} action with the payload
     * {@code {entityType, entityId, requestedAmountMicrodollars, currentLimitMicrodollars,
     * currentSpendMicrodollars, reason}}, through {@link #proposeAndWait}. On approval the server
     * raises the budget itself; the account needs the Pro tier (else the API refuses with 403).
     *
     * @throws ActionRejectedException the increase was rejected or expired
     * @throws ActionTimeoutException  no decision within {@code timeout}
     */
    public static BudgetIncrease requestBudgetIncrease(String agentId, long amountMicrodollars, String reason,
                                                       String entityType, String entityId,
                                                       long currentLimitMicrodollars, long currentSpendMicrodollars,
                                                       Map<String, ?> metadata, Duration pollInterval,
                                                       Duration timeout) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("entityType", entityType);
        payload.put("entityId", entityId);
        payload.put("requestedAmountMicrodollars", amountMicrodollars);
        payload.put("currentLimitMicrodollars", currentLimitMicrodollars);
        payload.put("currentSpendMicrodollars", currentSpendMicrodollars);
        payload.put("reason", reason);
        // Approval already raised the budget on the server: the task only reports the action and amount.
        Map<String, Object> result = proposeAndWait(agentId, "budget_increase", payload,
                actionId -> Map.of("actionId", actionId, "requestedAmountMicrodollars", amountMicrodollars),
                metadata, null, pollInterval, timeout);
        return new BudgetIncrease((String) result.get("actionId"), amountMicrodollars);
    }

    private static void checkWait(Duration pollInterval, Duration timeout) {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, got " + pollInterval);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must not be negative, got " + timeout);
        }
    }

    /** The backend for an API call, or an exception that says what is missing. */
    private static Backend apiBackend(String method) {
        Backend b = BACKEND.get();
        if (b == null) {
            throw new NullSpendException("agent_not_running", "NullSpend." + method + " calls the NullSpend API "
                    + "through the NullSpend agent, which is not running in this JVM: start it with "
                    + "-javaagent:nullspend-agent.jar and set nullspend.api-key (or NULLSPEND_API_KEY)", null);
        }
        return b;
    }
}
