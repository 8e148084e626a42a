package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nullspend.agent.config.AgentConfig.Enforcement;
import dev.nullspend.agent.config.AgentConfig.ResetInterval;
import dev.nullspend.agent.guard.BudgetRule.EntityType;
import dev.nullspend.agent.guard.BudgetRule.Policy;
import dev.nullspend.agent.report.CostEventJson;
import dev.nullspend.api.BudgetExceededException;
import dev.nullspend.api.CostEvent;
import dev.nullspend.api.LoopDetectedException;
import dev.nullspend.api.MandateViolationException;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.api.SessionLimitExceededException;
import dev.nullspend.api.TagBudgetExceededException;
import dev.nullspend.api.VelocityExceededException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardTest {
    static final LoopDetector.Settings LOOP_OFF = new LoopDetector.Settings(0, 60, 5, "k", "a");
    static final byte[] BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final FakeClock clock = new FakeClock("2026-04-30T12:00:00Z");
    private Enforcement enforcement = Enforcement.ON;
    private List<String> allowedModels = List.of();
    private final List<BudgetRule> budgets = new ArrayList<>();
    private VelocityBreaker.Settings velocity;
    private Long sessionLimit;
    private LoopDetector.Settings loop = LOOP_OFF;
    private PolicySource remote;
    private List<String> invalidLimits = List.of();

    private Guard guard() {
        return new Guard(new GuardSettings(enforcement, allowedModels, List.of(), budgets, velocity, sessionLimit, loop,
                invalidLimits), clock, remote);
    }

    static BudgetRule budget(EntityType type, String id, long max, ResetInterval reset, Policy policy) {
        return new BudgetRule(type, id, max, reset, policy, null, null, null, null, null,
                BudgetRule.DEFAULT_THRESHOLDS, "[0] in budgets.json");
    }

    static BudgetRule processBudget(long max) {
        return new BudgetRule(EntityType.USER, "process", max, ResetInterval.NONE, Policy.STRICT_BLOCK, null, null,
                null, null, null, BudgetRule.DEFAULT_THRESHOLDS, "nullspend.budget.limit-usd");
    }

    static AdmissionRequest request(long estimate) {
        return request(estimate, CallOwner.NONE);
    }

    static AdmissionRequest request(long estimate, CallOwner who) {
        return new AdmissionRequest("openai", "gpt-4o", BODY, estimate, who);
    }

    private static CallOwner tagged(String key, String value) {
        return new CallOwner(null, null, Map.of(key, value));
    }

    private static BudgetStatus status(Guard g, String entityId) {
        return g.budgets().stream().filter(s -> s.entityId().equals(entityId)).findFirst().orElseThrow();
    }

    @Test
    void strictBudgetHoldsEstimatesAndDeniesPastTheLimit() {
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        Reservation a = g.admit(request(400_000));
        Reservation b = g.admit(request(600_000)); // exactly at the limit: admitted
        assertThat(status(g, "process").reservedMicros()).isEqualTo(1_000_000);

        BudgetExceededException denied = catchThrowableOfType(() -> g.admit(request(1)), BudgetExceededException.class);
        assertThat(denied.entityType()).isEqualTo("user");
        assertThat(denied.entityId()).isEqualTo("process");
        assertThat(denied.limitMicrodollars()).isEqualTo(1_000_000);
        assertThat(denied.spendMicrodollars()).isZero();
        assertThat(denied.reservedMicrodollars()).isEqualTo(1_000_000);
        assertThat(denied.estimatedCostMicrodollars()).isEqualTo(1);
        assertThat(denied.remainingMicrodollars()).isEqualTo(1_000_000);
        assertThat(denied.recovery().ownerActionRequired()).isTrue();
        assertThat(denied.getMessage()).isEqualTo("Budget exceeded on user/process: this call may cost up to $0.000001"
                + " but only $0.00 of the $1.00 limit is left ($0.00 spent, $1.00 held by calls in flight)."
                + " Raise nullspend.budget.limit-usd. See https://nullspend.dev/docs/errors/budget-exceeded");

        a.settle(250_000);
        assertThat(status(g, "process").spendMicros()).isEqualTo(250_000);
        assertThat(status(g, "process").reservedMicros()).isEqualTo(600_000);
        Reservation c = g.admit(request(150_000)); // 250,000 + 600,000 + 150,000 = limit
        b.release();
        assertThat(status(g, "process").reservedMicros()).isEqualTo(150_000);
        a.settle(999_999); // a second end is ignored
        a.release();
        assertThat(status(g, "process").spendMicros()).isEqualTo(250_000);
        c.settle(150_000);
        assertThat(status(g, "process")).isEqualTo(new BudgetStatus("user", "process", "strict_block", null, null,
                1_000_000, 400_000, 0));
    }

    @Test
    void budgetDenialNamesThePeriodTheFileRecordAndTheReset() {
        budgets.add(new BudgetRule(EntityType.USER, "process", 5_000_000, ResetInterval.DAILY, Policy.STRICT_BLOCK,
                null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS, "[2] in budgets.json"));
        Guard g = guard();
        g.admit(request(4_580_000)).settle(4_580_000);
        g.admit(request(300_000));
        assertThatThrownBy(() -> g.admit(request(180_362)))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessage("Budget exceeded on user/process: this call may cost up to $0.180362 but only $0.12 of the"
                        + " $5.00 limit is left ($4.58 spent in the current daily period, $0.30 held by calls in flight)."
                        + " Raise maxBudgetMicrodollars of budget [2] in budgets.json, or wait for the reset at"
                        + " 2026-05-01T00:00:00Z. See https://nullspend.dev/docs/errors/budget-exceeded");
    }

    /** Every limit below denies the call; each guard has one limit fewer than the one before. */
    @Test
    void denialPriorityIsMandatesVelocityLoopSessionTagCustomerBudget() {
        CallOwner who = new CallOwner("s1", "acme", Map.of("team", "search"));
        allowedModels = List.of("gpt-4o-mini");
        velocity = new VelocityBreaker.Settings(10, 60, 60, "nullspend.velocity.limit-usd");
        loop = new LoopDetector.Settings(1, 60, 5, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
        sessionLimit = 10L;
        budgets.add(processBudget(10));
        budgets.add(budget(EntityType.CUSTOMER, "acme", 10, ResetInterval.NONE, Policy.STRICT_BLOCK));
        budgets.add(budget(EntityType.TAG, "team=search", 10, ResetInterval.NONE, Policy.STRICT_BLOCK));

        assertThatThrownBy(() -> guard().admit(request(100, who))).isInstanceOf(MandateViolationException.class);
        allowedModels = List.of();
        assertThatThrownBy(() -> guard().admit(request(100, who))).isInstanceOf(VelocityExceededException.class);
        velocity = null;
        assertThatThrownBy(() -> guard().admit(request(100, who))).isInstanceOf(LoopDetectedException.class);
        loop = LOOP_OFF;
        assertThatThrownBy(() -> guard().admit(request(100, who))).isInstanceOf(SessionLimitExceededException.class);
        sessionLimit = null;
        assertThatThrownBy(() -> guard().admit(request(100, who))).isInstanceOf(TagBudgetExceededException.class);
        budgets.remove(2);
        assertThat(catchThrowableOfType(() -> guard().admit(request(100, who)), BudgetExceededException.class)
                .entityType()).isEqualTo("customer");
        budgets.remove(1);
        assertThat(catchThrowableOfType(() -> guard().admit(request(100, who)), BudgetExceededException.class)
                .entityType()).isEqualTo("user");
        budgets.clear();
        assertThat(guard().admit(request(100, who))).isSameAs(Reservation.NONE);
    }

    @Test
    void aCallDeniedLaterInTheChainCountsForNeitherVelocityNorLoops() {
        velocity = new VelocityBreaker.Settings(700_000, 60, 60, "nullspend.velocity.limit-usd");
        loop = new LoopDetector.Settings(3, 60, 5, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
        budgets.add(budget(EntityType.TAG, "team=x", 100_000, ResetInterval.NONE, Policy.STRICT_BLOCK));
        Guard g = guard();
        g.admit(request(400_000));
        // passes velocity (600,000 ≤ 700,000) and loop (2nd identical call), then the tag budget denies it
        assertThatThrownBy(() -> g.admit(request(200_000, tagged("team", "x"))))
                .isInstanceOf(TagBudgetExceededException.class);
        // had the denied call counted: velocity 900,000 > 700,000 and a 3rd identical call = loop
        Reservation r = g.admit(request(300_000));
        assertThat(r).isNotSameAs(Reservation.NONE);
        assertThatThrownBy(() -> g.admit(request(1))).isInstanceOf(VelocityExceededException.class);
    }

    @Test
    void settlingGivesTheBreakerTheActualCost() {
        velocity = new VelocityBreaker.Settings(1_000_000, 60, 60, "nullspend.velocity.limit-usd");
        Guard g = guard();
        g.admit(request(900_000)).settle(100_000);
        Reservation failed = g.admit(request(900_000));
        failed.release();
        g.admit(request(900_000));
        VelocityExceededException d = catchThrowableOfType(() -> g.admit(request(1)), VelocityExceededException.class);
        assertThat(d.currentMicrodollars()).isEqualTo(1_000_000);
        assertThat(d.retryAfterSeconds()).isEqualTo(60);
        clock.advanceSeconds(59);
        assertThat(catchThrowableOfType(() -> g.admit(request(1)), VelocityExceededException.class)
                .retryAfterSeconds()).isEqualTo(1);
        clock.advanceSeconds(1);
        g.admit(request(1));
    }

    @Test
    void anUnfinishedCallsHoldExpiresButItsLateCostStillCounts() {
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        Reservation lost = g.admit(request(800_000));
        assertThatThrownBy(() -> g.admit(request(300_000))).isInstanceOf(BudgetExceededException.class);
        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThatThrownBy(() -> g.admit(request(300_000))).isInstanceOf(BudgetExceededException.class);
        clock.advance(Duration.ofNanos(1));
        try (LogCapture log = new LogCapture()) {
            g.admit(request(300_000));
            assertThat(log.lines()).containsExactly("[nullspend] WARN an LLM call was still unfinished 10 minutes after"
                    + " it started (a response not read to its end or closed?); the estimate it held against limits is"
                    + " released, its cost still counts if it finishes (logged once)");
        }
        assertThat(status(g, "process").reservedMicros()).isEqualTo(300_000);
        lost.settle(700_000);
        assertThat(status(g, "process").spendMicros()).isEqualTo(700_000);
        assertThat(status(g, "process").reservedMicros()).isEqualTo(300_000);
        BudgetExceededException d = catchThrowableOfType(() -> g.admit(request(1)), BudgetExceededException.class);
        assertThat(d.spendMicrodollars()).isEqualTo(700_000);
        assertThat(d.reservedMicrodollars()).isEqualTo(300_000);
    }

    @Test
    void softBlockLetsCallsThroughTagsThemAndLogsOncePerPeriod() {
        budgets.add(budget(EntityType.TAG, "team=search", 1_000_000, ResetInterval.DAILY, Policy.SOFT_BLOCK));
        Guard g = guard();
        CallOwner search = tagged("team", "search");
        try (LogCapture log = new LogCapture()) {
            assertThat(g.admit(request(900_000, search)).tags()).isEmpty();
            Reservation over = g.admit(request(200_000, search));
            assertThat(over.tags()).isEqualTo(Map.of(Guard.TAG_SOFT_BLOCK, "tag:team=search"));
            assertThat(g.admit(request(200_000, search)).tags()).containsEntry(Guard.TAG_SOFT_BLOCK, "tag:team=search");
            assertThat(log.lines()).containsExactly("[nullspend] WARN budget tag/team=search would be exceeded: $0.00"
                    + " spent in the current daily period + $0.90 held by calls in flight + $0.20 for this call > $1.00"
                    + " limit; its policy soft_block lets calls through and tags their events _ns_soft_block (logged"
                    + " once per period)");
            clock.advance(Duration.ofHours(12));
            g.admit(request(200_000, search));
            assertThat(log.lines()).hasSize(2);
        }
        assertThat(g.admit(request(5_000_000)).tags()).isEmpty(); // not tagged team=search: not covered
    }

    @Test
    void warnNeverBlocksAndLogsOncePerPeriod() {
        budgets.add(budget(EntityType.API_KEY, "k", 1_000_000, ResetInterval.NONE, Policy.WARN));
        Guard g = guard();
        try (LogCapture log = new LogCapture()) {
            g.admit(request(700_000)).settle(700_000);
            Reservation r = g.admit(request(400_000));
            g.admit(request(5_000_000));
            assertThat(r.tags()).isEmpty();
            assertThat(log.lines()).containsExactly(
                    "[nullspend] budget api_key/k has reached 50% of its limit: $0.70 of $1.00 spent",
                    "[nullspend] WARN budget api_key/k would be exceeded: $0.70 spent + $0.40 for this call > $1.00"
                            + " limit; its policy warn lets calls through (logged once per period)");
        }
    }

    @Test
    void spendThresholdsAreLoggedOnceEachThePeriodTheyArePassed() {
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        try (LogCapture log = new LogCapture()) {
            g.admit(request(499_999)).settle(499_999);
            g.admit(request(1)).settle(1);
            g.admit(request(440_000)).settle(440_000);
            g.admit(request(60_000)).settle(60_000);
            g.admit(request(0)).settle(0);
            assertThat(log.lines()).containsExactly(
                    "[nullspend] budget user/process has reached 50% of its limit: $0.50 of $1.00 spent",
                    "[nullspend] WARN budget user/process has reached 90% of its limit: $0.94 of $1.00 spent",
                    "[nullspend] WARN budget user/process has reached 95% of its limit: $1.00 of $1.00 spent");
        }
    }

    @Test
    void tagAndCustomerBudgetsCoverOnlyTheirCalls() {
        budgets.add(budget(EntityType.TAG, "team=search", 10_000_000, ResetInterval.NONE, Policy.STRICT_BLOCK));
        budgets.add(budget(EntityType.CUSTOMER, "acme", 10_000_000, ResetInterval.NONE, Policy.STRICT_BLOCK));
        budgets.add(processBudget(10_000_000));
        Guard g = guard();
        g.admit(request(1_000, tagged("team", "search"))).settle(1_000);
        g.admit(request(20, tagged("team", "ads"))).settle(20);
        g.admit(request(300, new CallOwner(null, "acme", Map.of()))).settle(300);
        g.admit(request(4_000, tagged("customer", "acme"))).settle(4_000);
        g.admit(request(50_000, new CallOwner(null, "other", Map.of("customer", "acme")))).settle(50_000);
        assertThat(g.budgets()).extracting(BudgetStatus::entityId, BudgetStatus::spendMicros).containsExactly(
                tuple("team=search", 1_000L),
                tuple("acme", 4_300L),
                tuple("process", 55_320L));
    }

    @Test
    void spendStartsAgainAtTheUtcPeriodRolloverWhileHoldsStay() {
        budgets.add(budget(EntityType.USER, "daily", 1_000_000, ResetInterval.DAILY, Policy.STRICT_BLOCK));
        Guard g = guard();
        clock.advance(Duration.ofHours(11).plusMinutes(59));
        g.admit(request(900_000)).settle(900_000);
        Reservation spanning = g.admit(request(50_000));
        assertThatThrownBy(() -> g.admit(request(60_000))).isInstanceOf(BudgetExceededException.class);
        clock.advance(Duration.ofMinutes(1)); // 2026-05-01T00:00:00Z
        g.admit(request(900_000));
        BudgetStatus s = status(g, "daily");
        assertThat(s.currentPeriodStart()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(s.resetInterval()).isEqualTo("daily");
        assertThat(s.spendMicros()).isZero();
        assertThat(s.reservedMicros()).isEqualTo(950_000);
        spanning.settle(40_000); // counts in the period it ends in
        assertThat(status(g, "daily").spendMicros()).isEqualTo(40_000);
    }

    private static final CallOwner S1 = new CallOwner("s1", null, Map.of());

    /** A guard with a session limit of $1.00 (and the test's budgets) in which session s1 has spent {@code spent} µ$. */
    private Guard sessionGuardAfter(long spent) {
        sessionLimit = 1_000_000L;
        Guard g = guard();
        g.admit(request(spent, S1)).settle(spent);
        return g;
    }

    @Test
    void sessionLimitCountsPerSessionIdAndNamesItsFigures() {
        Guard g = sessionGuardAfter(600_000);
        g.admit(request(300_000, S1));
        SessionLimitExceededException d = catchThrowableOfType(() -> g.admit(request(200_000, S1)),
                SessionLimitExceededException.class);
        assertThat(d.sessionId()).isEqualTo("s1");
        assertThat(d.sessionSpendMicrodollars()).isEqualTo(600_000);
        assertThat(d.sessionLimitMicrodollars()).isEqualTo(1_000_000);
        assertThat(d.estimatedCostMicrodollars()).isEqualTo(200_000);
        assertThat(d.reservedMicrodollars()).isEqualTo(300_000);
        assertThat(d.recovery().retryable()).isFalse();
        assertThat(d.recovery().ownerActionRequired()).isFalse();
        assertThat(d.getMessage()).isEqualTo("Session limit exceeded for session s1: this call may cost up to $0.20"
                + " but only $0.10 of the $1.00 limit is left ($0.60 spent, $0.30 held by calls in flight). Start a new"
                + " session (another nullspend.session.id) or raise nullspend.session.limit-usd."
                + " See https://nullspend.dev/docs/errors/session-limit");
        g.admit(request(900_000, new CallOwner("s2", null, Map.of())));
        g.admit(request(5_000_000)); // no session id: no session limit
    }

    @Test
    void theSmallestSessionLimitOfConfigAndCoveringBudgetsApplies() {
        budgets.add(new BudgetRule(EntityType.USER, "process", 50_000_000, ResetInterval.DAILY, Policy.STRICT_BLOCK,
                null, 500_000L, null, null, null, BudgetRule.DEFAULT_THRESHOLDS, "[0] in budgets.json"));
        Guard g = sessionGuardAfter(400_000);
        assertThatThrownBy(() -> g.admit(request(100_001, S1)))
                .isInstanceOf(SessionLimitExceededException.class)
                .hasMessageContaining("of the $0.50 limit")
                .hasMessageContaining("raise sessionLimitMicrodollars of budget [0] in budgets.json.");
        // a new day resets the budget, never the session
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> g.admit(request(100_001, S1))).isInstanceOf(SessionLimitExceededException.class);
        g.admit(request(100_000, S1));
    }

    @Test
    void aSessionIdleForADayStartsAfresh() {
        Guard g = sessionGuardAfter(900_000);
        clock.advance(Duration.ofHours(24));
        assertThatThrownBy(() -> g.admit(request(200_000, S1))).isInstanceOf(SessionLimitExceededException.class);
        clock.advance(Duration.ofMillis(1));
        g.admit(request(200_000, S1));
    }

    @Test
    void dryRunLogsWouldBeDenialsLetsCallsThroughAndTagsThem() {
        enforcement = Enforcement.DRY_RUN;
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        g.admit(request(900_000));
        try (LogCapture log = new LogCapture()) {
            Reservation r = g.admit(request(200_000));
            assertThat(r.tags()).isEqualTo(Map.of(Guard.TAG_DRY_RUN, "budget_exceeded"));
            assertThat(log.lines()).containsExactly("[nullspend] WARN dry-run, the call goes on; enforcement would deny"
                    + " it: Budget exceeded on user/process: this call may cost up to $0.20 but only $0.10 of the $1.00"
                    + " limit is left ($0.00 spent, $0.90 held by calls in flight). Raise nullspend.budget.limit-usd."
                    + " See https://nullspend.dev/docs/errors/budget-exceeded");
            // it really spends: held and settled like any call
            assertThat(status(g, "process").reservedMicros()).isEqualTo(1_100_000);
            r.settle(150_000);
            assertThat(status(g, "process").spendMicros()).isEqualTo(150_000);
        }
    }

    @Test
    void dryRunDoesNotCountWouldBeDenialsAsLoopCalls() {
        enforcement = Enforcement.DRY_RUN;
        loop = new LoopDetector.Settings(3, 60, 5, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
        Guard g = guard();
        try (LogCapture log = new LogCapture()) {
            assertThat(g.admit(request(1)).tags()).isEmpty();
            assertThat(g.admit(request(1)).tags()).isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThat(g.admit(request(1)).tags()).isEqualTo(Map.of(Guard.TAG_DRY_RUN, "loop_detected"));
            }
            assertThat(log.lines()).hasSize(4);
            assertThat(log.lines().get(0))
                    .isEqualTo("[nullspend] WARN approaching loop threshold for gpt-4o (2/3 calls in 60s window)");
            assertThat(log.lines().subList(1, 4)).allMatch(l -> l.startsWith("[nullspend] WARN dry-run, the call goes"
                    + " on; enforcement would deny it: Loop detected: gpt-4o called 3 times"));
        }
    }

    @Test
    void offAdmitsEverythingAndHoldsNothing() {
        enforcement = Enforcement.OFF;
        budgets.add(processBudget(0));
        allowedModels = List.of("none");
        Guard g = guard();
        assertThat(g.admit(request(1_000_000))).isSameAs(Reservation.NONE);
        assertThat(g.tracksLocalSpend()).isFalse();
        Reservation.NONE.settle(5);
        Reservation.NONE.release();
    }

    /** docs/nullspend-api-contract.md#loop-detection: the reference SDK blocks every call at max_calls 0; the proxy and the contract turn detection off. */
    @Test
    void loopMaxCallsZeroTurnsLoopDetectionOff() {
        loop = LOOP_OFF;
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        for (int i = 0; i < 60; i++) {
            Reservation r = g.admit(request(1));
            assertThat(r).as("identical call %d, admitted and held by the budget", i + 1).isNotSameAs(Reservation.NONE);
            r.settle(1);
        }
        assertThat(status(g, "process").spendMicros()).isEqualTo(60);
    }

    @Test
    void loopDetectionSkipsUnreadableBodiesAndHashesEmptyOnes() {
        loop = new LoopDetector.Settings(2, 60, 5, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
        Guard g = guard();
        for (int i = 0; i < 5; i++) {
            g.admit(new AdmissionRequest("openai", null, null, 1, CallOwner.NONE));
        }
        g.admit(new AdmissionRequest("openai", null, new byte[0], 1, CallOwner.NONE));
        LoopDetectedException d = catchThrowableOfType(
                () -> g.admit(new AdmissionRequest("openai", null, new byte[0], 1, CallOwner.NONE)),
                LoopDetectedException.class);
        assertThat(d.model()).isEqualTo("unknown");
        assertThat(d.callCount()).isEqualTo(2);
    }

    @Test
    void restartRestoresTheCurrentPeriodsSpendFromTheLedger(@TempDir Path dir) throws IOException {
        restoredBudgets();
        Path ledger = dir.resolve("ledger.jsonl");
        StringBuilder lines = new StringBuilder();
        lines.append(line(100_000, "2026-04-30T00:00:00Z", null, null, Map.of()));              // today
        lines.append(line(200_000, "2026-04-29T23:59:59.999Z", null, null, Map.of()));          // yesterday
        lines.append(line(30_000, "2026-04-30T08:00:00Z", null, null, Map.of("team", "search")));
        lines.append(line(4_000, "2026-04-01T00:00:00Z", null, null, Map.of("team", "search")));  // this month
        lines.append(line(500, "2026-03-31T23:00:00Z", null, null, Map.of("team", "search")));    // last month
        lines.append(line(60, "2026-04-27T00:00:00Z", null, "acme", Map.of()));                  // this week (Monday)
        lines.append(line(7, "2026-04-26T23:59:59Z", null, "acme", Map.of()));                   // last week
        lines.append(line(800_000, "2026-04-29T12:00:01Z", "s1", null, Map.of()));               // within 24 h
        lines.append(line(900_000, "2026-04-29T11:59:59Z", "s2", null, Map.of()));               // older
        lines.append("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"costMicr"); // torn last line
        Files.writeString(ledger, lines);
        Guard g = guard();
        try (LogCapture log = new LogCapture()) {
            g.restoreFrom(ledger);
            assertThat(log.lines()).contains("[nullspend] budget user/process: $0.13 of $10.00 already spent in the"
                    + " current daily period (from " + ledger + ")");
        }
        assertThat(g.budgets()).extracting(BudgetStatus::entityId, BudgetStatus::spendMicros).containsExactly(
                tuple("team=search", 34_000L),
                tuple("acme", 60L),
                tuple("process", 100_000L + 30_000),
                tuple("lifetime", 100_000L + 200_000 + 34_500 + 67 + 1_700_000));
        assertThat(catchThrowableOfType(() -> g.admit(request(200_001, new CallOwner("s1", null, Map.of()))),
                SessionLimitExceededException.class).sessionSpendMicrodollars()).isEqualTo(800_000);
        g.admit(request(1_000_000, new CallOwner("s2", null, Map.of())));
    }

    /** $10 budgets of every reset interval (user daily, API key lifetime, tag monthly, customer weekly), a $1 session limit. */
    private void restoredBudgets() {
        budgets.add(budget(EntityType.USER, "process", 10_000_000, ResetInterval.DAILY, Policy.STRICT_BLOCK));
        budgets.add(budget(EntityType.API_KEY, "lifetime", 10_000_000, ResetInterval.NONE, Policy.STRICT_BLOCK));
        budgets.add(budget(EntityType.TAG, "team=search", 10_000_000, ResetInterval.MONTHLY, Policy.STRICT_BLOCK));
        budgets.add(budget(EntityType.CUSTOMER, "acme", 10_000_000, ResetInterval.WEEKLY, Policy.STRICT_BLOCK));
        sessionLimit = 1_000_000L;
    }

    /** The budgets of {@link #restartRestoresTheCurrentPeriodsSpendFromTheLedger}, and a ledger for them with keys. */
    private Path keyedLedger(Path dir) throws IOException {
        restoredBudgets();
        Path ledger = dir.resolve("ledger.jsonl");
        String duplicated = keyed("k-1", 100_000, "2026-04-30T00:00:00Z", null, null, Map.of());
        Files.writeString(ledger, duplicated
                + keyed("k-2", 200_000, "2026-04-29T23:59:59.999Z", null, null, Map.of())
                + duplicated // a batch written twice: counted once
                + keyed("k-3", 30_000, "2026-04-30T08:00:00Z", null, null, Map.of("team", "search"))
                + keyed("k-4", 4_000, "2026-04-01T00:00:00Z", null, null, Map.of("team", "search"))
                + "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"costMicr\n" // torn line, then repaired
                + keyed("k-5", 500, "2026-03-31T23:00:00Z", null, null, Map.of("team", "search"))
                + keyed("k-6", 60, "2026-04-27T00:00:00Z", null, "acme", Map.of())
                + keyed("k-7", 7, "2026-04-26T23:59:59Z", null, "acme", Map.of())
                + keyed("k-8", 800_000, "2026-04-29T12:00:01Z", "s1", null, Map.of())
                + keyed("k-9", 900_000, "2026-04-29T11:59:59Z", "s2", null, Map.of()));
        return ledger;
    }

    private void assertRestored(Guard g, long extraToday, long lifetimeExtra) {
        assertThat(g.budgets()).extracting(BudgetStatus::entityId, BudgetStatus::spendMicros).containsExactly(
                tuple("team=search", 34_000L),
                tuple("acme", 60L),
                tuple("process", 100_000L + 30_000 + extraToday),
                tuple("lifetime", 100_000L + 200_000 + 34_500 + 67 + 1_700_000 + lifetimeExtra));
        assertThat(catchThrowableOfType(() -> g.admit(request(200_001, new CallOwner("s1", null, Map.of()))),
                SessionLimitExceededException.class).sessionSpendMicrodollars()).isEqualTo(800_000);
    }

    @Test
    void restoreWritesASpendRecordAndLaterReadsOnlyTheLedgerPastIt(@TempDir Path dir) throws IOException {
        Path ledger = keyedLedger(dir);
        Path record = dir.resolve("ledger.jsonl.spend");

        Guard first = guard();
        first.restoreFrom(ledger);
        assertRestored(first, 0, 0);
        assertThat(record).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(record)))
                .isEqualTo("rw-------");
        assertThat(Files.readAllLines(record)).contains("ledger\t" + Files.readAttributes(ledger,
                java.nio.file.attribute.BasicFileAttributes.class).fileKey() + "\t" + Files.size(ledger) + "\t"
                + fingerprintOf(ledger));

        Guard same = guard();
        same.restoreFrom(ledger);
        assertRestored(same, 0, 0);

        // The record is what the next start reads: a changed total shows, the ledger's prefix is not read again.
        String tampered = Files.readString(record).replace("scope\t*\t2034567\n", "scope\t*\t2034570\n");
        assertThat(tampered).isNotEqualTo(Files.readString(record));
        Files.writeString(record, tampered);
        Files.writeString(ledger, keyed("k-10", 5_000, "2026-04-30T11:00:00Z", null, null, Map.of())
                + keyed("k-9", 900_000, "2026-04-29T11:59:59Z", "s2", null, Map.of()), // again: a duplicate
                java.nio.file.StandardOpenOption.APPEND);
        Guard tail = guard();
        tail.restoreFrom(ledger);
        assertRestored(tail, 5_000, 3 + 5_000);
    }

    @Test
    void aSpendRecordThatNoLongerDescribesTheLedgerIsRebuilt(@TempDir Path dir) throws IOException {
        Path ledger = keyedLedger(dir);
        Path record = dir.resolve("ledger.jsonl.spend");
        guard().restoreFrom(ledger);
        String tampered = Files.readString(record).replace("scope\t*\t2034567\n", "scope\t*\t9\n");

        // Missing: rebuilt from the whole ledger.
        Files.delete(record);
        Guard missing = guard();
        missing.restoreFrom(ledger);
        assertRestored(missing, 0, 0);

        // Rotated (another file at the path, same bytes): the record's total is not trusted.
        Files.writeString(record, tampered);
        Path moved = dir.resolve("ledger.jsonl.1");
        Files.move(ledger, moved);
        Files.copy(moved, ledger);
        Guard rotated = guard();
        try (LogCapture log = new LogCapture()) {
            rotated.restoreFrom(ledger);
            assertThat(log.lines()).contains("[nullspend] spend record " + record
                    + " rebuilt from the whole ledger: the ledger was rotated or truncated since");
        }
        assertRestored(rotated, 0, 0);

        // Truncated and written again past the old length (copytruncate): other bytes where the record ends.
        Files.writeString(record, Files.readString(record).replace("scope\t*\t2034567\n", "scope\t*\t9\n"));
        Files.writeString(ledger, keyed("k-20", 7_000, "2026-04-30T01:00:00Z", null, null, Map.of())
                + "\n".repeat((int) Files.size(moved)));
        Guard truncated = guard();
        truncated.restoreFrom(ledger);
        assertThat(status(truncated, "lifetime").spendMicros()).isEqualTo(7_000);
        assertThat(status(truncated, "process").spendMicros()).isEqualTo(7_000);

        // A budget the record does not count yet: rebuilt with it.
        budgets.add(budget(EntityType.CUSTOMER, "globex", 10_000_000, ResetInterval.NONE, Policy.STRICT_BLOCK));
        Files.writeString(ledger, keyed("k-21", 11, "2026-04-30T02:00:00Z", null, "globex", Map.of()),
                java.nio.file.StandardOpenOption.APPEND);
        Guard widened = guard();
        widened.restoreFrom(ledger);
        assertThat(status(widened, "globex").spendMicros()).isEqualTo(11);
        assertThat(status(widened, "lifetime").spendMicros()).isEqualTo(7_011);
    }

    private static long fingerprintOf(Path ledger) throws IOException {
        byte[] all = Files.readAllBytes(ledger);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        int from = Math.max(0, all.length - 4096);
        crc.update(all, from, all.length - from);
        return crc.getValue();
    }

    private static String keyed(String key, long cost, String createdAt, String session, String customer,
                                Map<String, String> tags) {
        CostEvent e = CostEvent.builder().provider("openai").model("gpt-4o").eventType(CostEvent.Type.LLM)
                .costMicrodollars(cost).createdAt(Instant.parse(createdAt)).sessionId(session).customer(customer)
                .tags(tags).idempotencyKey(key).build();
        return CostEventJson.toJson(e, true) + "\n";
    }

    private static String line(long cost, String createdAt, String session, String customer, Map<String, String> tags) {
        CostEvent e = CostEvent.builder().provider("openai").model("gpt-4o").eventType(CostEvent.Type.LLM)
                .costMicrodollars(cost).createdAt(Instant.parse(createdAt)).sessionId(session).customer(customer)
                .tags(tags).build();
        return CostEventJson.toJson(e, true) + "\n";
    }

    static RemoteBudget remoteBudget(EntityType type, String id, long max, long spend) {
        return new RemoteBudget(new BudgetRule(type, id, max, ResetInterval.NONE, Policy.STRICT_BLOCK, null, null, null,
                null, null, BudgetRule.DEFAULT_THRESHOLDS, BudgetRule.REMOTE), spend, 0, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static RemotePolicy remotePolicy(RemoteBudget... budgets) {
        return new RemotePolicy(List.of(budgets), null, null, null);
    }

    @Test
    void theRemoteBudgetCountsLocalSpendSinceItsLastSnapshot() {
        AtomicReference<RemotePolicy> policy = new AtomicReference<>(
                remotePolicy(remoteBudget(EntityType.API_KEY, "key_123", 5_000_000, 4_000_000)));
        remote = policy::get;
        Guard g = guard();
        g.admit(request(600_000)).settle(500_000);
        BudgetExceededException d = catchThrowableOfType(() -> g.admit(request(600_000)), BudgetExceededException.class);
        assertThat(d.entityType()).isEqualTo("api_key");
        assertThat(d.entityId()).isEqualTo("key_123");
        assertThat(d.spendMicrodollars()).isEqualTo(4_500_000);
        assertThat(d.limitMicrodollars()).isEqualTo(5_000_000);
        assertThat(d.reservedMicrodollars()).isZero();
        assertThat(d.estimatedCostMicrodollars()).isEqualTo(600_000);
        assertThat(d.getMessage()).isEqualTo("Budget exceeded on api_key/key_123: this call may cost up to $0.60 but"
                + " only $0.50 of the $5.00 limit is left ($4.50 spent). Increase it at https://nullspend.dev/app/budgets."
                + " See https://nullspend.dev/docs/errors/budget-exceeded");
        Reservation held = g.admit(request(500_000));
        // a refresh that already includes the settled 500,000: local spend since then starts from zero, the hold stays
        policy.set(remotePolicy(remoteBudget(EntityType.API_KEY, "key_123", 5_000_000, 4_500_000)));
        BudgetExceededException stillHeld = catchThrowableOfType(() -> g.admit(request(1)), BudgetExceededException.class);
        assertThat(stillHeld.spendMicrodollars()).isEqualTo(4_500_000);
        assertThat(stillHeld.reservedMicrodollars()).isEqualTo(500_000);
        held.settle(200_000);
        g.admit(request(300_000)); // 4,700,000 + 300,000 = the limit
    }

    @Test
    void remoteTagAndCustomerBudgetsCoverOnlyTheirCallsAndDenyWithTheirExceptions() {
        RemotePolicy policy = remotePolicy(remoteBudget(EntityType.TAG, "team=search", 1_000, 1_000),
                remoteBudget(EntityType.CUSTOMER, "acme", 2_000, 1_500));
        remote = () -> policy;
        Guard g = guard();
        g.admit(request(1_000_000)); // neither covers a call without that tag or customer
        TagBudgetExceededException t = catchThrowableOfType(() -> g.admit(request(1, tagged("team", "search"))),
                TagBudgetExceededException.class);
        assertThat(t.tagKey()).isEqualTo("team");
        assertThat(t.tagValue()).isEqualTo("search");
        assertThat(t.limitMicrodollars()).isEqualTo(1_000);
        assertThat(t.spendMicrodollars()).isEqualTo(1_000);
        CallOwner acme = new CallOwner(null, "acme", Map.of());
        g.admit(request(500, acme)).settle(400);
        BudgetExceededException c = catchThrowableOfType(() -> g.admit(request(101, acme)), BudgetExceededException.class);
        assertThat(c.entityType()).isEqualTo("customer");
        assertThat(c.spendMicrodollars()).isEqualTo(1_900);
        g.admit(request(100, acme));
    }

    @Test
    void localBudgetsDenyBeforeRemoteOnesOfTheSameType() {
        budgets.add(processBudget(1_000));
        remote = () -> remotePolicy(remoteBudget(EntityType.USER, "org", 500, 0));
        BudgetExceededException d = catchThrowableOfType(() -> guard().admit(request(2_000)), BudgetExceededException.class);
        assertThat(d.entityId()).isEqualTo("process");
        d = catchThrowableOfType(() -> guard().admit(request(600)), BudgetExceededException.class);
        assertThat(d.entityId()).isEqualTo("org");
    }

    @Test
    void aStrictRemoteBudgetKeepsItsFinalizationReserveBack() {
        remote = () -> remotePolicy(new RemoteBudget(new BudgetRule(EntityType.API_KEY, "key_123", 5_000_000,
                ResetInterval.NONE, Policy.STRICT_BLOCK, null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS,
                BudgetRule.REMOTE), 4_000_000, 500_000, Long.MIN_VALUE, Long.MAX_VALUE));
        Guard g = guard();
        g.admit(request(500_000)).release(); // 4,000,000 + 500,000 = limit − reserve
        BudgetExceededException d = catchThrowableOfType(() -> g.admit(request(500_001)), BudgetExceededException.class);
        assertThat(d.limitMicrodollars()).isEqualTo(5_000_000);
        assertThat(d.spendMicrodollars()).isEqualTo(4_000_000);
        assertThat(d.getMessage()).isEqualTo("Budget exceeded on api_key/key_123: this call may cost up to $0.500001 but"
                + " only $0.50 of the $5.00 limit is left ($4.00 spent, $0.50 kept back as the finalization reserve)."
                + " Increase it at https://nullspend.dev/app/budgets. See https://nullspend.dev/docs/errors/budget-exceeded");
    }

    @Test
    void aRemoteBudgetStartsFromZeroWhenItsPeriodEndsBeforeTheNextSnapshot() {
        long end = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
        RemotePolicy policy = remotePolicy(new RemoteBudget(new BudgetRule(EntityType.API_KEY, "key_123", 1_000_000,
                ResetInterval.MONTHLY, Policy.STRICT_BLOCK, null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS,
                BudgetRule.REMOTE), 990_000, 0, Instant.parse("2026-04-01T00:00:00Z").toEpochMilli(), end));
        remote = () -> policy;
        Guard g = guard();
        assertThatThrownBy(() -> g.admit(request(20_000)))
                .hasMessage("Budget exceeded on api_key/key_123: this call may cost up to $0.02 but only $0.01 of the"
                        + " $1.00 limit is left ($0.99 spent in the current monthly period). Increase it at"
                        + " https://nullspend.dev/app/budgets, or wait for the reset at 2026-05-01T00:00:00Z. See"
                        + " https://nullspend.dev/docs/errors/budget-exceeded");
        clock.advance(Duration.ofHours(12)); // 2026-05-01T00:00Z: the API counts the new period from zero
        g.admit(request(1_000_000)).settle(300_000);
        BudgetExceededException d = catchThrowableOfType(() -> g.admit(request(700_001)), BudgetExceededException.class);
        assertThat(d.spendMicrodollars()).isEqualTo(300_000);
        assertThat(d.getMessage()).contains("or wait for the reset at 2026-06-01T00:00:00Z");
    }

    @Test
    void aRemoteBudgetsBreakerAndSessionCapApplyAndTheBreakerOutlivesRefreshes() {
        VelocityBreaker.Settings velocity = new VelocityBreaker.Settings(1_000, 60, 60,
                BudgetRule.remoteSetting("api_key/key_123", "velocityLimitMicrodollars"));
        AtomicReference<RemotePolicy> policy = new AtomicReference<>();
        java.util.function.Supplier<RemotePolicy> snapshot = () -> remotePolicy(new RemoteBudget(new BudgetRule(
                EntityType.API_KEY, "key_123", 1_000_000, ResetInterval.NONE, Policy.STRICT_BLOCK, velocity, 700L, null,
                null, null, BudgetRule.DEFAULT_THRESHOLDS, BudgetRule.REMOTE), 0, 0, Long.MIN_VALUE, Long.MAX_VALUE));
        policy.set(snapshot.get());
        remote = policy::get;
        Guard g = guard();
        CallOwner s1 = new CallOwner("s1", null, Map.of());
        g.admit(request(600, s1)).settle(600);
        assertThatThrownBy(() -> g.admit(request(101, s1))).isInstanceOf(SessionLimitExceededException.class)
                .hasMessage("Session limit exceeded for session s1: this call may cost up to $0.000101 but only $0.0001 of"
                        + " the $0.0007 limit is left ($0.0006 spent). Start a new session (another nullspend.session.id) or"
                        + " raise the session limit of api_key/key_123 at https://nullspend.dev/app/budgets. See"
                        + " https://nullspend.dev/docs/errors/session-limit");
        policy.set(snapshot.get()); // a refresh: the breaker's window still holds the 600
        VelocityExceededException v = catchThrowableOfType(() -> g.admit(request(401)), VelocityExceededException.class);
        assertThat(v.currentMicrodollars()).isEqualTo(600);
        assertThat(v.limitMicrodollars()).isEqualTo(1_000);
        assertThat(v.getMessage()).contains("raise the velocity limit of api_key/key_123 at https://nullspend.dev/app/budgets");
    }

    @Test
    void aRemoteSoftBlockBudgetLetsCallsThroughAndTagsThem() {
        remote = () -> remotePolicy(new RemoteBudget(new BudgetRule(EntityType.USER, "org", 1_000, ResetInterval.NONE,
                Policy.SOFT_BLOCK, null, null, null, null, null, BudgetRule.DEFAULT_THRESHOLDS, BudgetRule.REMOTE),
                1_000, 500, Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(guard().admit(request(1)).tags()).containsEntry(Guard.TAG_SOFT_BLOCK, "user:org");
    }

    @Test
    void aPolicySourceFailingClosedDeniesEveryCallAndDryRunLetsItThrough() {
        NullSpendException unavailable = new NullSpendException("budget_unavailable", "Remote policy unavailable",
                new dev.nullspend.api.Recovery(true, false, 5, null));
        remote = () -> {
            throw unavailable;
        };
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        assertThatThrownBy(() -> g.admit(request(1))).isSameAs(unavailable);
        assertThat(status(g, "process").reservedMicros()).as("a denied call holds nothing").isZero();
        enforcement = Enforcement.DRY_RUN;
        Guard dry = guard();
        assertThat(dry.admit(request(1)).tags()).containsEntry(Guard.TAG_DRY_RUN, "budget_unavailable");
        assertThat(status(dry, "process").reservedMicros()).isEqualTo(1);
    }

    @Test
    void remoteMandatesAndSessionLimitApplyToo() {
        AtomicReference<RemotePolicy> policy = new AtomicReference<>(
                new RemotePolicy(List.of(), List.of("gpt-4o-mini"), null, null));
        remote = policy::get;
        Guard g = guard();
        assertThatThrownBy(() -> g.admit(request(1)))
                .isInstanceOf(MandateViolationException.class)
                .hasMessage("Mandate violation: model gpt-4o is not allowed (allowed_models: gpt-4o-mini). Call an"
                        + " allowed model, or ask the owner of the NullSpend API key to change it at"
                        + " https://nullspend.dev/app/budgets. See https://nullspend.dev/docs/errors/mandate-violation");
        policy.set(new RemotePolicy(List.of(), null, List.of("openai"), 100L));
        CallOwner s1 = new CallOwner("s1", null, Map.of());
        g.admit(request(100, s1));
        assertThatThrownBy(() -> g.admit(request(1, s1)))
                .isInstanceOf(SessionLimitExceededException.class)
                .hasMessageContaining("or raise the session limit at https://nullspend.dev/app/budgets.");
        policy.set(null); // unreachable: fail open
        g.admit(request(1, s1));
    }

    @Test
    void configMandatesDenyBeforeAnythingIsCounted() {
        allowedModels = List.of("gpt-4o-mini", "claude-*");
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        MandateViolationException d = catchThrowableOfType(() -> g.admit(request(1)), MandateViolationException.class);
        assertThat(d.mandate()).isEqualTo("allowed_models");
        assertThat(d.requested()).isEqualTo("gpt-4o");
        assertThat(d.getMessage()).isEqualTo("Mandate violation: model gpt-4o is not allowed (allowed_models:"
                + " gpt-4o-mini, claude-*). Call an allowed model, or ask the owner to extend nullspend.allowed-models."
                + " See https://nullspend.dev/docs/errors/mandate-violation");
        assertThat(status(g, "process").reservedMicros()).isZero();
        g.admit(new AdmissionRequest("anthropic", "claude-haiku-4-5", BODY, 1, CallOwner.NONE));
    }

    @Test
    void everyDenialIsAnUncheckedNullSpendException() {
        budgets.add(processBudget(0));
        assertThatThrownBy(() -> guard().admit(request(1))).isInstanceOf(NullSpendException.class)
                .isInstanceOf(RuntimeException.class);
    }

    static final String CONFIG_INVALID_MESSAGE = "Configuration invalid: nullspend.velocity.limit-usd, nullspend.budgets-file"
            + " have invalid values (named in the agent's start-up log), and nullspend.fail-mode=closed denies LLM calls"
            + " until the configuration is fixed. Fix the value and restart, or set nullspend.fail-mode=open to go on"
            + " with the valid limits only.";

    @Test
    void invalidLimitSettingsDenyEveryCallFirstWithoutHoldingOrCounting() {
        invalidLimits = List.of("nullspend.velocity.limit-usd", "nullspend.budgets-file");
        budgets.add(processBudget(1_000_000));
        loop = new LoopDetector.Settings(2, 60, 5, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
        remote = () -> {
            throw new AssertionError("the remote policy is not asked for a call that is denied anyway");
        };
        Guard g = guard();
        for (int i = 0; i < 3; i++) {
            NullSpendException denial = catchThrowableOfType(() -> g.admit(request(1)), NullSpendException.class);
            assertThat(denial.getClass()).isEqualTo(NullSpendException.class);
            assertThat(denial.code()).isEqualTo("config_invalid");
            assertThat(denial.getMessage()).isEqualTo(CONFIG_INVALID_MESSAGE);
            assertThat(denial.recovery()).isEqualTo(new dev.nullspend.api.Recovery(false, true, null, null));
        }
        assertThat(status(g, "process").reservedMicros()).isZero();
        assertThat(status(g, "process").spendMicros()).isZero();
    }

    @Test
    void invalidLimitSettingsInDryRunLetCallsThroughTaggedAndEnforcementOffIgnoresThem() {
        invalidLimits = List.of("nullspend.velocity.limit-usd", "nullspend.budgets-file");
        enforcement = Enforcement.DRY_RUN;
        budgets.add(processBudget(1_000_000));
        Guard g = guard();
        try (LogCapture log = new LogCapture()) {
            Reservation r = g.admit(request(300_000));
            assertThat(r.tags()).isEqualTo(Map.of(Guard.TAG_DRY_RUN, "config_invalid"));
            assertThat(log.lines()).containsExactly("[nullspend] WARN dry-run, the call goes on; enforcement would deny"
                    + " it: " + CONFIG_INVALID_MESSAGE);
            assertThat(status(g, "process").reservedMicros()).isEqualTo(300_000);
        }
        enforcement = Enforcement.OFF;
        assertThat(guard().admit(request(1))).isSameAs(Reservation.NONE);
    }

    /**
     * docs/nullspend-api-contract.md#loop-detection: a call is a loop when its count, itself included, reaches max calls (the proxy
     * and SDKs alike), so max calls N admits N - 1 identical calls per window: none for 1, one for 2.
     */
    @Test
    void maxCallsNAdmitsNMinusOneIdenticalCallsBeforeTheFirstLoopDenial() {
        for (int max = 1; max <= 3; max++) {
            loop = new LoopDetector.Settings(max, 60, 0, "nullspend.loop.max-calls", "nullspend.loop.aggregate-max-keys");
            Guard g = guard();
            int admitted = 0;
            LoopDetectedException denial = null;
            while (denial == null) {
                try {
                    g.admit(request(1)).settle(1);
                    admitted++;
                } catch (LoopDetectedException e) {
                    denial = e;
                }
            }
            assertThat(admitted).as("max calls %d", max).isEqualTo(max - 1);
            assertThat(denial.callCount()).isEqualTo(max);
            assertThat(denial.maxCalls()).isEqualTo(max);
        }
    }
}
