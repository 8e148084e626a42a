package dev.nullspend.agent.policy;

import dev.nullspend.agent.api.ApiClock;
import dev.nullspend.agent.api.ApiException;
import dev.nullspend.agent.api.Deadline;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.config.AgentConfig.FailMode;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.guard.PolicyFormatException;
import dev.nullspend.agent.guard.PolicySource;
import dev.nullspend.agent.guard.RemotePolicy;
import dev.nullspend.agent.guard.RemotePolicyJson;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.Recovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The NullSpend API's remote policy for the guard: {@code GET /api/policy} and
 * {@code GET /api/budgets/status}, fetched on the daemon thread {@code nullspend-policy}, never on
 * a thread of the program.
 *
 * <ul>
 *   <li>The first fetch starts with the agent. A policy is then good for {@link #TTL} (60 s, the
 *       reference client's cache time) and refreshed once it is older, when an LLM call asks for
 *       it: a process that makes no calls makes no requests, and a call never waits for a refresh
 *       (it uses the previous snapshot, to which the guard adds local spend since).</li>
 *   <li>A failed fetch (after the client's own retries) is tried again after 5 s, doubling to
 *       60 s, or the API's {@code Retry-After} when longer, whether calls ask or not.</li>
 *   <li>A policy is usable until it is older than the TTL <em>and</em> the fetch that should have
 *       replaced it failed. Without a usable policy, {@code nullspend.fail-mode=open} enforces
 *       local limits only ({@link #current()} is {@code null}); {@code closed} denies every call
 *       with a retryable {@link NullSpendException} of code {@value #UNAVAILABLE_CODE} (the code
 *       the NullSpend proxy fails closed with). Each change between fetching and failing is logged
 *       once.</li>
 *   <li>In closed mode a call made before the first fetch has finished waits for it, at most until
 *       {@link #FIRST_FETCH_WAIT} after the first call came (calls come once the agent is ready,
 *       which on a busy machine can be seconds after the JVM started; later calls share that
 *       bound, they do not wait again each); open mode never waits (calls before the first policy
 *       arrives are held to local limits only).</li>
 * </ul>
 */
public final class RemotePolicyFetcher implements PolicySource {
    /** The denial code while failing closed. */
    public static final String UNAVAILABLE_CODE = "budget_unavailable";
    public static final Duration TTL = Duration.ofSeconds(60);
    public static final Duration FIRST_FETCH_WAIT = Duration.ofSeconds(5);
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Bound of one fetch (both requests, the client's retries included). */
    static final long FETCH_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * What is known, replaced as a whole so that admissions read it without a lock.
     *
     * @param policy      the last policy fetched, or {@code null}
     * @param fetchedAt   when it arrived ({@link ApiClock#nanoTime()})
     * @param attempted   true once the first fetch has finished, either way
     * @param failure     why the last fetch failed, or {@code null} when it succeeded
     * @param nextFetchAt when the next fetch is due
     * @param failures    failed fetches in a row
     */
    private record State(RemotePolicy policy, long fetchedAt, boolean attempted, String failure, long nextFetchAt,
                         int failures) {
    }

    private final NullSpendApiClient client;
    private final FailMode failMode;
    private final ApiClock clock;
    private final long ttlNanos;
    private final long firstFetchWaitNanos;
    /** Real time ({@link System#nanoTime()}) until which closed-mode calls wait for the first fetch; set by the first. */
    private long firstFetchWaitEnd;
    private boolean firstFetchWaitStarted;
    private final Object lock = new Object();
    private volatile State state;
    /** Set by the first call after a fetch started: a refresh is worth its requests. */
    private volatile boolean asked;
    private volatile boolean closed;
    private Thread thread;

    public RemotePolicyFetcher(NullSpendApiClient client, FailMode failMode) {
        this(client, failMode, ApiClock.SYSTEM, TTL, FIRST_FETCH_WAIT);
    }

    RemotePolicyFetcher(NullSpendApiClient client, FailMode failMode, ApiClock clock, Duration ttl,
                        Duration firstFetchWait) {
        this.client = client;
        this.failMode = failMode;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
        this.firstFetchWaitNanos = firstFetchWait.toNanos();
        this.state = new State(null, 0, false, null, clock.nanoTime(), 0);
    }

    /** Starts the {@code nullspend-policy} thread, which fetches at once. Returns without waiting. */
    public void start() {
        Thread t = new Thread(this::run, "nullspend-policy");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops fetching (at JVM exit): a fetch under way is abandoned. */
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public RemotePolicy current() {
        State s = state;
        if (!s.attempted() && failMode == FailMode.CLOSED) {
            s = awaitFirstFetch();
        }
        if (!asked) {
            synchronized (lock) {
                asked = true;
                lock.notifyAll();
            }
        }
        long now = clock.nanoTime();
        if (s.policy() != null && (s.failure() == null || now - s.fetchedAt() < ttlNanos)) {
            return s.policy();
        }
        if (failMode == FailMode.OPEN) {
            return null;
        }
        throw unavailable(s, now);
    }

    // ---- the thread ----

    private void run() {
        try {
            while (!closed) {
                fetch();
                awaitNextFetch();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One fetch of the policy and the budget status; never throws. */
    void fetch() {
        asked = false;
        long started = clock.nanoTime();
        Deadline deadline = () -> closed ? 0 : started + FETCH_DEADLINE_NANOS - clock.nanoTime();
        RemotePolicy policy = null;
        String failure;
        long retryAfterNanos = -1;
        try {
            byte[] body = client.policy(deadline).body();
            policy = RemotePolicyJson.parse(body, budgetStatus(deadline));
            failure = null;
        } catch (ApiException e) {
            failure = e.getMessage();
            retryAfterNanos = e.retryAfterNanos();
        } catch (PolicyFormatException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        if (closed) {
            return; // abandoned at exit: nothing learned
        }
        if (failure == null) {
            succeeded(policy);
        } else {
            failed(failure, retryAfterNanos);
        }
    }

    /** The budget status body, or {@code null} when the API refuses it (an older server): the policy alone then. */
    private byte[] budgetStatus(Deadline deadline) throws ApiException {
        try {
            return client.budgetStatus(deadline).body();
        } catch (ApiException e) {
            if (e.kind() != ApiException.Kind.REFUSED) {
                throw e;
            }
            AgentLog.warnOnce("policy-budget-status", e.getMessage() + "; the remote policy is enforced without the"
                    + " budgets of GET /api/budgets/status (logged once)");
            return null;
        }
    }

    /** How long the thread waits before the next fetch; {@link Long#MAX_VALUE}: until a call asks. */
    long nanosUntilNextFetch() {
        State s = state;
        if (s.attempted() && s.failure() == null && !asked) {
            return Long.MAX_VALUE;
        }
        return s.nextFetchAt() - clock.nanoTime();
    }

    private void awaitNextFetch() throws InterruptedException {
        synchronized (lock) {
            while (!closed) {
                long wait = nanosUntilNextFetch();
                if (wait <= 0) {
                    return;
                }
                if (wait == Long.MAX_VALUE) {
                    lock.wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait);
                }
            }
        }
    }

    private void succeeded(RemotePolicy policy) {
        State before;
        synchronized (lock) {
            before = state;
            long now = clock.nanoTime();
            state = new State(policy, now, true, null, now + ttlNanos, 0);
            lock.notifyAll();
        }
        if (!before.attempted()) {
            AgentLog.info("remote policy from " + Redaction.url(client.baseUrl()) + ": " + policy.describe() + " (refreshed every "
                    + TTL.toSeconds() + "s while LLM calls are made)");
        } else if (before.failure() != null) {
            AgentLog.info("remote policy fetched again from " + Redaction.url(client.baseUrl()) + ", its limits apply again: "
                    + policy.describe());
        } else {
            AgentLog.debug("remote policy refreshed: " + policy.describe());
        }
    }

    private void failed(String why, long retryAfterNanos) {
        State before;
        long delay;
        synchronized (lock) {
            before = state;
            int failures = before.failures() + 1;
            delay = Math.max(retryAfterNanos, Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(failures - 1, 4)));
            state = new State(before.policy(), before.fetchedAt(), true, why, clock.nanoTime() + delay, failures);
            lock.notifyAll();
        }
        if (before.failure() != null) {
            AgentLog.debug("remote policy still unavailable: " + why);
            return;
        }
        String consequence = failMode == FailMode.OPEN
                ? ConfigKeys.FAIL_MODE + "=open: only local limits apply until it can be fetched"
                : ConfigKeys.FAIL_MODE + "=closed: every LLM call is denied until it can be fetched";
        AgentLog.warn("cannot fetch the remote policy from " + Redaction.url(client.baseUrl()) + ": " + why + "; " + consequence
                + " (next attempt in " + TimeUnit.NANOSECONDS.toSeconds(delay) + "s; logged once until it is fetched again)");
    }

    /** Closed mode before the first fetch has finished: waits for it, until the bound after the first call. */
    private State awaitFirstFetch() {
        synchronized (lock) {
            if (!firstFetchWaitStarted) {
                firstFetchWaitStarted = true;
                firstFetchWaitEnd = System.nanoTime() + firstFetchWaitNanos;
            }
            boolean interrupted = false;
            try {
                while (!state.attempted() && !closed) {
                    long left = firstFetchWaitEnd - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        interrupted = true; // the program's interrupt: stop waiting, keep its flag
                        break;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return state;
        }
    }

    private NullSpendException unavailable(State s, long now) {
        String why;
        int retryAfter;
        if (s.attempted()) {
            why = s.failure();
            retryAfter = (int) Math.max(1, (s.nextFetchAt() - now + 999_999_999L) / 1_000_000_000L);
        } else {
            why = "no answer within " + TimeUnit.NANOSECONDS.toSeconds(firstFetchWaitNanos) + "s";
            retryAfter = (int) TimeUnit.NANOSECONDS.toSeconds(FIRST_RETRY_NANOS);
        }
        return new NullSpendException(UNAVAILABLE_CODE, "Remote policy unavailable: the NullSpend policy could not be"
                + " fetched from " + Redaction.url(client.baseUrl()) + " (" + why + "), and " + ConfigKeys.FAIL_MODE + "=closed denies"
                + " LLM calls without it. Check " + ConfigKeys.API_KEY + " and " + ConfigKeys.BASE_URL + ", or set "
                + ConfigKeys.FAIL_MODE + "=open to go on with local limits only while the API cannot be reached."
                + " Retry in " + retryAfter + "s.", new Recovery(true, false, retryAfter, null));
    }
}
