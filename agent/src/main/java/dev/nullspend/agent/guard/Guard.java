package dev.nullspend.agent.guard;

import dev.nullspend.agent.api.ApiClock;
import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.report.LedgerReader;
import dev.nullspend.api.NullSpendException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission of LLM calls before they leave the process: mandates, then velocity, loop, session,
 * tag, customer and user/api_key budgets; the first that fails denies the call with its typed
 * exception. Every covering budget must pass, local ones (configuration, budgets file) and those
 * of the NullSpend API's remote policy alike ({@link PolicySource}: they are budgets like the
 * others, whose spend each snapshot sets and local spend since then adds to). An admitted call
 * holds its estimate against every limit that covers it until its {@link Reservation} ends.
 *
 * <p>All decisions and counters sit behind one lock, so that the check {@code spend + reserved +
 * estimate ≤ limit} and the hold that follows are one atomic step: concurrent admissions can
 * never together pass a limit (as long as no call costs more than its estimate). Only admitted
 * calls count towards the velocity and loop counters; a call denied at any step leaves them as
 * they were. Hashing the body and checking mandates happen outside the lock.
 *
 * <p>Enforcement {@code off} admits everything and counts nothing; {@code dry-run} decides as
 * {@code on} would, logs each would-be denial with its message and lets the call through (it is
 * held and counted against budgets, as it really spends, but not counted by the velocity and loop
 * counters, as a denied call would not be), and tags its event {@code _ns_dry_run}.
 */
public final class Guard {
    /** Tag marking the event of a call that went past a soft_block budget; its value is the budget's {@code type:id}. */
    public static final String TAG_SOFT_BLOCK = "_ns_soft_block";
    /** Tag marking the event of a call dry-run let through; its value is the denial code. */
    public static final String TAG_DRY_RUN = "_ns_dry_run";
    /** The denial code of every call while a limit's setting is invalid and {@code nullspend.fail-mode=closed}. */
    public static final String CONFIG_INVALID_CODE = "config_invalid";
    /** The denial code of every call the fleet's store cannot check while {@code nullspend.fail-mode=closed}. */
    public static final String BUDGET_UNAVAILABLE_CODE = "budget_unavailable";

    /**
     * How long an unfinished call holds its estimate: ten minutes, the default request timeout of
     * the OpenAI and Anthropic Java SDKs, so a long stream keeps its hold while its client waits.
     */
    static final long RESERVATION_TTL_NANOS = 10L * 60 * 1_000_000_000L;

    /** How a remote mandate is changed, for its denial message. */
    static final String REMOTE_MANDATE_FIX = "ask the owner of the NullSpend API key to change it at "
            + BudgetRule.APP_BUDGETS;

    private final Enforcement enforcement;
    private final GuardClock clock;
    private final Mandates mandates;
    /** Local budgets, sorted by denial priority: tag, customer, then user and api_key; file order within a type. */
    private final List<BudgetState> budgets;
    private final VelocityBreaker breaker;
    private final Long sessionLimitMicros;
    private final LoopDetector loop;
    private final PolicySource policySource;
    /** Invalid limit settings that deny every call (fail mode closed); empty when none. */
    private final List<String> invalidLimits;
    private final boolean idle;
    /** Fleet mode's store of shared spend (docs/fleet.md), or {@code null}. */
    private final SharedLimits fleet;
    /** {@code nullspend.fail-mode=closed}: a fleet store that cannot answer denies the call. */
    private final boolean failClosed;

    private final ReentrantLock lock = new ReentrantLock();
    private final Sessions sessions = new Sessions();
    /** Reservations still holding, oldest (= first to expire) first. */
    private final LinkedHashSet<Reservation> live = new LinkedHashSet<>();
    /** The remote policy's budgets by {@code type/id}; a state outlives snapshots while its budget is in them. */
    private final Map<String, RemoteBudgetState> remoteStates = new HashMap<>();
    /** Local and remote budgets in denial priority order (local first within a type): what admissions check. */
    private List<BudgetState> enforced;
    private RemotePolicy remoteSeen;
    private boolean expiryLogged;

    Guard(GuardSettings settings, GuardClock clock, PolicySource policySource) {
        this(settings, clock, policySource, null, false);
    }

    Guard(GuardSettings settings, GuardClock clock, PolicySource policySource, SharedLimits fleet, boolean failClosed) {
        this.fleet = fleet;
        this.failClosed = failClosed;
        this.enforcement = settings.enforcement();
        this.clock = clock;
        this.mandates = settings.allowedModels().isEmpty() && settings.allowedProviders().isEmpty() ? null
                : new Mandates(settings.allowedModels().isEmpty() ? null : settings.allowedModels(),
                settings.allowedProviders().isEmpty() ? null : settings.allowedProviders(),
                "ask the owner to extend " + ConfigKeys.ALLOWED_MODELS,
                "ask the owner to extend " + ConfigKeys.ALLOWED_PROVIDERS);
        List<BudgetState> states = new ArrayList<>();
        for (BudgetRule rule : settings.budgets()) {
            states.add(new BudgetState(rule));
        }
        states.sort(Comparator.comparingInt(b -> b.rule.entityType().rank()));
        this.budgets = List.copyOf(states);
        this.enforced = budgets;
        this.breaker = settings.velocity() == null ? null : new VelocityBreaker(settings.velocity());
        this.sessionLimitMicros = settings.sessionLimitMicros();
        this.loop = settings.loop().enabled() ? new LoopDetector(settings.loop()) : null;
        this.policySource = policySource;
        this.invalidLimits = settings.invalidLimits();
        this.idle = enforcement == Enforcement.OFF || (mandates == null && budgets.isEmpty() && breaker == null
                && sessionLimitMicros == null && loop == null && policySource == null && invalidLimits.isEmpty());
    }

    /**
     * The guard of this configuration: {@code nullspend.budget.limit-usd}, the budgets file,
     * session, velocity, mandates, loop detection and enforcement mode.
     *
     * @param policySource the remote policy, or {@code null} for local limits only
     */
    public static Guard create(AgentConfig config, PolicySource policySource) {
        return create(config, policySource, null);
    }

    /**
     * The same guard in fleet mode: the limits of this configuration are counted in {@code fleet}
     * (docs/fleet.md), and only where it cannot answer, with {@code nullspend.fail-mode=open}, on this
     * process's own spend.
     *
     * @param fleet the shared store, or {@code null} for process-local limits
     */
    public static Guard create(AgentConfig config, PolicySource policySource, SharedLimits fleet) {
        BudgetsFile.Result file = config.budgetsFile == null ? new BudgetsFile.Result(List.of(), List.of())
                : BudgetsFile.read(config.budgetsFile);
        for (String problem : file.problems()) {
            AgentLog.error("invalid budgets file entry " + problem + "; it is ignored, every valid budget is enforced");
        }
        if (!file.problems().isEmpty()) {
            AgentLog.error(config.invalidLimitsConsequence(List.of(ConfigKeys.BUDGETS_FILE)));
        }
        GuardSettings settings = GuardSettings.from(config, file);
        LoopDetector.Settings loop = settings.loop();
        if (loop.maxCalls() == 1 && config.enforcement != Enforcement.OFF) {
            // The proxy's rule (the N-th identical call is the loop) makes 1 deny even the first call.
            AgentLog.warn("loop detection with max calls 1 (" + loop.maxCallsSetting() + ") denies every LLM call:"
                    + " the N-th identical call in " + loop.windowSeconds() + "s is a loop, so N - 1 calls pass;"
                    + " 0 turns loop detection off");
        }
        return new Guard(settings, ApiClock.SYSTEM, policySource, fleet,
                config.failMode == AgentConfig.FailMode.CLOSED);
    }

    /** True when local budgets or a session limit count spend, which {@link #restoreFrom} can restore after a restart. */
    public boolean tracksLocalSpend() {
        return enforcement != Enforcement.OFF && (!budgets.isEmpty() || sessionLimitMicros != null);
    }

    /**
     * Admits a call, or denies it with its typed {@link NullSpendException} (enforcement
     * {@code on}); the denial is thrown on the calling thread, before anything is sent.
     */
    public Reservation admit(AdmissionRequest request) {
        if (idle) {
            return Reservation.NONE;
        }
        Notes notes = new Notes();
        RemotePolicy remote = null;
        NullSpendException denial = invalidLimits.isEmpty() ? null : Denials.configInvalid(invalidLimits);
        if (policySource != null && denial == null) {
            try {
                remote = policySource.current();
            } catch (NullSpendException unavailable) {
                denial = unavailable; // nullspend.fail-mode=closed without a policy: denied like any other check
            }
        }
        if (denial == null) {
            denial = mandateDenial(request, remote);
        }
        String hash = loop != null && request.body() != null ? ContentHash.of(request.body()) : null;
        Reservation reservation = null;
        lock.lock();
        try {
            long nanos = clock.nanoTime();
            long millis = clock.currentTimeMillis();
            expire(nanos, notes);
            seeRemote(remote, millis);
            long estimate = request.estimateMicros();
            CallOwner who = request.attribution();
            List<BudgetState> covering = covering(who, millis);
            Sessions.Account session = who.sessionId() == null ? null : sessions.get(who.sessionId(), millis);
            Map<String, String> tags = new LinkedHashMap<>(2);
            boolean loopChecked = false;
            Reservation.Shared shared = null;
            if (fleet != null && denial == null) {
                // Loop detection stays local, and goes first: a looping call costs no round trip.
                loopChecked = true;
                denial = hash == null ? null : loop.check(request.provider(), request.modelName(), hash, nanos);
                if (denial == null) {
                    SharedCheck check = new SharedCheck(breaker, covering, sessionLimit(session, covering, remote));
                    try {
                        shared = admitShared(check, estimate, tags, notes);
                        denial = shared.denial();
                    } catch (SharedLimits.Unavailable unavailable) {
                        shared = new Reservation.Shared(null, check.limits(), null, null);
                        denial = failClosed ? Denials.fleetUnavailable(unavailable.getMessage()) : null;
                    }
                }
            }
            // With the fleet's answer, only what it does not count is checked here: the remote policy's budgets.
            boolean counted = shared != null && shared.holdId() != null;
            List<BudgetState> local = counted ? remoteOnly(covering) : covering;
            if (denial == null) {
                denial = velocityDenial(counted ? null : breaker, local, estimate, nanos, notes);
            }
            if (denial == null && hash != null && !loopChecked) {
                denial = loop.check(request.provider(), request.modelName(), hash, nanos);
            }
            if (denial == null && session != null && !counted) {
                denial = sessionDenial(session, covering, remote, estimate);
            }
            if (denial == null) {
                denial = budgetDenial(local, estimate, tags, notes);
            }
            if (denial == null || enforcement == Enforcement.DRY_RUN) {
                if (denial != null) {
                    tags.put(TAG_DRY_RUN, denial.code());
                    notes.warn("dry-run, the call goes on; enforcement would deny it: " + denial.getMessage());
                }
                reservation = hold(request, hash, covering, session, denial == null, tags, nanos, millis, notes, shared);
            } else if (counted && shared.denial() == null) {
                // The fleet held the estimate, a local check denied the call: give the hold back.
                fleet.settle(shared.holdId(), estimate, 0, shared.limits(), shared.windows());
            }
        } finally {
            lock.unlock();
        }
        notes.print();
        if (reservation == null) {
            AgentLog.warnOnce("guard-denial:" + denial.code(), "denied a call: " + denial.getMessage()
                    + " (later " + denial.code() + " denials reach the program without a log line)");
            throw denial;
        }
        return reservation;
    }

    /**
     * Adds the spend of a ledger's events to the budgets they count for: events of the current
     * period whose attribution a budget covers, and the spend of sessions active in the last 24
     * hours. Call it once at start-up, before the first admission, so that a restart does not
     * reset spend. Reads only the part of the ledger its {@link SpendRecord} does not cover yet
     * (all of it when the record is missing or stale), then brings the record up to date.
     */
    public void restoreFrom(Path ledger) throws IOException {
        Notes notes = new Notes();
        lock.lock();
        try {
            long now = clock.currentTimeMillis();
            long started = System.nanoTime();
            List<String> scopes = new ArrayList<>();
            for (BudgetState b : budgets) {
                scopes.add(SpendRecord.scopeOf(b.rule));
            }
            SpendRecord record = SpendRecord.load(ledger, scopes);
            LedgerReader.Scan scan = record.hasTail()
                    ? LedgerReader.scan(ledger, record.covered(), record.keys(), record::add)
                    : new LedgerReader.Scan(0, 0, 0, record.covered());
            long past = record.covered();
            record.save(scan.endOffset(), now);
            if (AgentLog.isDebug()) {
                AgentLog.debug("spend restored from " + ledger + " in " + (System.nanoTime() - started) / 1_000_000
                        + " ms: " + (scan.endOffset() - past) + " bytes, " + scan.events() + " events read past the spend record");
            }
            for (BudgetState b : budgets) {
                b.roll(now);
                b.spend += record.spend(SpendRecord.scopeOf(b.rule), b.periodStart, b.periodEnd);
                String line = b.restored(ledger.toString());
                if (b.spend > 0) {
                    notes.info(line);
                }
            }
            record.sessions().forEach((id, s) -> sessions.restore(id, s.spend, s.lastActiveMillis, now));
        } finally {
            lock.unlock();
        }
        notes.print();
    }

    /** At the program's exit: the fleet's store gets what is still queued for it (docs/fleet.md). */
    public void shutdown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** The local budgets' state now, in denial priority order. */
    public List<BudgetStatus> budgets() {
        lock.lock();
        try {
            long now = clock.currentTimeMillis();
            List<BudgetStatus> out = new ArrayList<>(budgets.size());
            for (BudgetState b : budgets) {
                b.roll(now);
                out.add(b.status());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a reservation: settled with its actual cost, or released. Called by {@link Reservation} only. */
    void end(Reservation r, long actualMicros, boolean settled) {
        Notes notes = new Notes();
        lock.lock();
        try {
            if (r.state == Reservation.State.DONE) {
                return;
            }
            long nanos = clock.nanoTime();
            long millis = clock.currentTimeMillis();
            if (r.state == Reservation.State.LIVE) {
                live.remove(r);
                for (SpendAccount account : r.holds) {
                    account.unhold(r.estimateMicros);
                }
            }
            r.state = Reservation.State.DONE;
            long actual = settled ? Math.max(0, actualMicros) : 0;
            if (actual > 0) {
                for (SpendAccount account : r.holds) {
                    account.charge(actual, millis, notes);
                }
            }
            for (Reservation.Counted c : r.counted) {
                c.breaker().adjust(c.window(), actual - r.estimateMicros, nanos);
            }
            if (r.shared != null) {
                // Local accounts above keep this process's own spend (what fail-mode open enforces without
                // the fleet); the fleet's store gets the same cost, or it later reconciles it.
                fleet.settle(r.shared.holdId(), r.estimateMicros, actual, r.shared.limits(), r.shared.windows());
            }
            expire(nanos, notes);
        } finally {
            lock.unlock();
        }
        notes.print();
    }

    private NullSpendException mandateDenial(AdmissionRequest request, RemotePolicy remote) {
        String model = request.modelName();
        NullSpendException v = mandates == null ? null : mandates.check(request.provider(), model);
        if (v == null && remote != null && remote.mandates != null) {
            v = remote.mandates.check(request.provider(), model);
        }
        return v;
    }

    private List<BudgetState> covering(CallOwner who, long millis) {
        List<BudgetState> out = new ArrayList<>(enforced.size());
        for (BudgetState b : enforced) {
            if (b.rule.covers(who)) {
                b.roll(millis);
                out.add(b);
            }
        }
        return out;
    }

    /** Only the remote policy's budgets (in fleet mode, the fleet counts the others). */
    private static List<BudgetState> remoteOnly(List<BudgetState> covering) {
        List<BudgetState> out = new ArrayList<>(0);
        for (BudgetState b : covering) {
            if (b instanceof RemoteBudgetState) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * One admission in the fleet's store: its hold, and its denial with the fleet's figures when a
     * limit denies the call. Budgets the call goes past under soft_block or warn are tagged and
     * logged as {@link #budgetDenial} does.
     */
    private Reservation.Shared admitShared(SharedCheck check, long estimate, Map<String, String> tags, Notes notes)
            throws SharedLimits.Unavailable {
        if (check.isEmpty()) {
            return new Reservation.Shared(null, List.of(), null, null);
        }
        String id = fleet.newHoldId();
        SharedLimits.Answer answer = fleet.admit(id, estimate, enforcement == Enforcement.DRY_RUN, check.limits());
        NullSpendException denial = check.denial(answer, estimate);
        if (denial == null) {
            for (BudgetState b : check.overruns(answer)) {
                overrun(b, estimate, tags, notes);
            }
        }
        return new Reservation.Shared(answer.held() ? id : null, check.limits(), answer.windows(), denial);
    }

    private NullSpendException velocityDenial(VelocityBreaker process, List<BudgetState> covering, long estimate,
                                              long nanos, Notes notes) {
        NullSpendException d = process == null ? null : process.check(estimate, nanos, notes);
        for (int i = 0; d == null && i < covering.size(); i++) {
            VelocityBreaker own = covering.get(i).breaker;
            d = own == null ? null : own.check(estimate, nanos, notes);
        }
        return d;
    }

    private NullSpendException sessionDenial(Sessions.Account session, List<BudgetState> covering, RemotePolicy remote,
                                            long estimate) {
        SharedCheck.SessionLimit limit = sessionLimit(session, covering, remote);
        if (limit == null || !session.wouldExceed(limit.limitMicros(), estimate)) {
            return null;
        }
        return Denials.session(session.sessionId, limit.limitMicros(), session.spend, session.reserved, estimate,
                limit.setting());
    }

    /** The lowest session limit that covers the call and where it is set, or {@code null} (no session, no limit). */
    private SharedCheck.SessionLimit sessionLimit(Sessions.Account session, List<BudgetState> covering, RemotePolicy remote) {
        if (session == null) {
            return null;
        }
        Long limit = sessionLimitMicros;
        String setting = ConfigKeys.SESSION_LIMIT_USD;
        for (BudgetState b : covering) {
            Long own = b.rule.sessionLimitMicros();
            if (own != null && (limit == null || own < limit)) {
                limit = own;
                setting = b.rule.setting("sessionLimitMicrodollars");
            }
        }
        if (remote != null && remote.sessionLimitMicros != null && (limit == null || remote.sessionLimitMicros < limit)) {
            limit = remote.sessionLimitMicros;
            setting = "the session limit at " + BudgetRule.APP_BUDGETS;
        }
        return limit == null ? null : new SharedCheck.SessionLimit(session, limit, setting);
    }

    private NullSpendException budgetDenial(List<BudgetState> covering, long estimate, Map<String, String> tags, Notes notes) {
        for (BudgetState b : covering) {
            if (!b.wouldExceed(b.admissionLimit(), estimate)) {
                continue;
            }
            if (b.rule.policy() == BudgetRule.Policy.STRICT_BLOCK) {
                return b.denial(estimate);
            }
            overrun(b, estimate, tags, notes);
        }
        return null;
    }

    /** A call goes past a soft_block or warn budget: tagged (soft_block) and logged once per period. */
    private static void overrun(BudgetState b, long estimate, Map<String, String> tags, Notes notes) {
        if (b.rule.policy() == BudgetRule.Policy.SOFT_BLOCK) {
            tags.putIfAbsent(TAG_SOFT_BLOCK, b.rule.entityType().wire + ":" + b.rule.entityId());
            if (b.firstOverrunInPeriod()) {
                notes.warn(b.overrun(estimate) + "; its policy soft_block lets calls through and tags their"
                        + " events " + TAG_SOFT_BLOCK + " (logged once per period)");
            }
        } else if (b.firstOverrunInPeriod()) {
            notes.warn(b.overrun(estimate) + "; its policy warn lets calls through (logged once per period)");
        }
    }

    /**
     * Takes a new snapshot of the remote policy: each of its budgets gets its state (kept from the
     * previous snapshot when the budget was in it), with the snapshot's spend; budgets no longer
     * in it stop being enforced. Without a policy only local budgets are.
     */
    private void seeRemote(RemotePolicy remote, long millis) {
        if (remote == remoteSeen) {
            return;
        }
        remoteSeen = remote;
        if (remote == null) {
            enforced = budgets;
            return;
        }
        Map<String, RemoteBudgetState> kept = new HashMap<>();
        List<BudgetState> all = new ArrayList<>(budgets);
        for (RemoteBudget b : remote.budgets) {
            String key = b.rule().name();
            RemoteBudgetState state = remoteStates.get(key);
            if (state == null) {
                state = new RemoteBudgetState(b, millis);
            } else {
                state.refresh(b, millis);
            }
            kept.put(key, state);
            all.add(state);
        }
        remoteStates.keySet().retainAll(kept.keySet());
        remoteStates.putAll(kept);
        all.sort(Comparator.comparingInt(b -> b.rule.entityType().rank())); // stable: local first within a type
        enforced = List.copyOf(all);
    }

    /**
     * Holds the estimate against every covering limit; an admitted call (not a dry-run
     * would-be denial) is also counted by the breakers and the loop detector.
     */
    private Reservation hold(AdmissionRequest request, String hash, List<BudgetState> covering,
                             Sessions.Account session, boolean admitted,
                             Map<String, String> tags, long nanos, long millis, Notes notes,
                             Reservation.Shared shared) {
        long estimate = request.estimateMicros();
        List<SpendAccount> holds = new ArrayList<>(covering.size() + 1);
        holds.addAll(covering);
        if (session != null) {
            holds.add(session);
        }
        List<Reservation.Counted> counted = new ArrayList<>(0);
        if (admitted) {
            if (breaker != null) {
                counted.add(new Reservation.Counted(breaker, breaker.count(estimate, nanos)));
            }
            for (BudgetState b : covering) {
                if (b.breaker != null) {
                    counted.add(new Reservation.Counted(b.breaker, b.breaker.count(estimate, nanos)));
                }
            }
            if (hash != null) {
                loop.record(request.provider(), request.modelName(), hash, nanos, notes);
            }
        }
        boolean sharing = shared != null && !shared.limits().isEmpty();
        if (holds.isEmpty() && counted.isEmpty() && tags.isEmpty() && !sharing) {
            return Reservation.NONE;
        }
        for (SpendAccount account : holds) {
            account.hold(estimate, millis);
        }
        Reservation r = new Reservation(this, estimate, holds, counted, tags, nanos + RESERVATION_TTL_NANOS,
                sharing ? shared : null);
        if (!holds.isEmpty()) {
            live.add(r);
        }
        return r;
    }

    /** Drops the holds of reservations older than the TTL: calls that never ended must not block budgets forever. */
    private void expire(long nanos, Notes notes) {
        Iterator<Reservation> it = live.iterator();
        while (it.hasNext()) {
            Reservation r = it.next();
            if (r.expiresAtNanos - nanos > 0) {
                return;
            }
            it.remove();
            r.state = Reservation.State.EXPIRED;
            for (SpendAccount account : r.holds) {
                account.unhold(r.estimateMicros);
            }
            if (!expiryLogged) {
                expiryLogged = true;
                notes.warn("an LLM call was still unfinished " + RESERVATION_TTL_NANOS / 60_000_000_000L
                        + " minutes after it started (a response not read to its end or closed?); the estimate it"
                        + " held against limits is released, its cost still counts if it finishes (logged once)");
            }
        }
    }
}
