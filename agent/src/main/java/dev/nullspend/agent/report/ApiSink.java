package dev.nullspend.agent.report;

import dev.nullspend.agent.api.ApiClock;
import dev.nullspend.agent.api.ApiException;
import dev.nullspend.agent.api.ApiResponse;
import dev.nullspend.agent.api.CostEventSanitizer;
import dev.nullspend.agent.api.Deadline;
import dev.nullspend.agent.api.NullSpendApiClient;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.log.Redaction;
import dev.nullspend.api.CostEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends cost events to the NullSpend API ({@code POST /api/cost-events/batch}), and keeps in the
 * {@link Spool} whatever the API has not accepted, so that no event is lost when the API is slow,
 * rate-limited or down, nor when the process crashes.
 *
 * <h2>Sending</h2>
 * Every event is first made valid for the API by {@link CostEventSanitizer} (one bad field never
 * gets a batch refused). A batch goes out as requests of at most 100 events and
 * {@value #MAX_BODY_BYTES} bytes, {@code {"events":[…]}} without {@code createdAt}, each event
 * with its own {@code idempotencyKey}, by which the API skips events it already has: that makes
 * re-sending safe, and delivery exactly once as seen from the API. The client's rate limiter paces
 * the requests; while it makes the reporter wait, events gather in the reporter's queue and the
 * next batches are larger (up to 100).
 *
 * <h2>When the API does not accept a request</h2>
 * <ul>
 *   <li>HTTP 400, 413 or 422 (the content): the request is split in halves, depth first, until the
 *       events at fault are alone; each of those is kept with the API's answer in the spool's
 *       rejected file (never re-sent, never silently lost), the others are sent.</li>
 *   <li>Retries ran out (429, 5xx, network), or another refusal (401, 403, 404, 415 …): the events
 *       go to the spool, and the API is left alone for a pause (1 s, doubling to 30 s; 30 s at
 *       once for a refusal). While the spool holds events, new batches are appended to it too, in
 *       order, and the spool is re-sent one request per reporter round when the pause is over.</li>
 * </ul>
 *
 * <h2>Shutdown</h2>
 * {@link #drainWithin} sets a cut-off one second before the reporter's deadline: from then on no
 * request starts and one under way is abandoned; everything not sent goes to the spool, which
 * the next run re-sends.
 */
public final class ApiSink implements EventSink {
    static final int MAX_EVENTS_PER_REQUEST = 100;
    /** Under the API's 1 MB body limit, with room to spare. */
    static final int MAX_BODY_BYTES = 1_000_000;
    /** Time kept at shutdown to spool what was not sent. */
    static final Duration SPOOL_RESERVE = Duration.ofSeconds(1);
    static final long MIN_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Split requests per refused batch; depth first, so a bad event is always isolated within it. */
    static final int MAX_SPLIT_REQUESTS = 16;

    private static final byte[] BODY_START = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final long LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How often a running count of what happened to the events is logged while they flow. */
    static final long PROGRESS_PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final NullSpendApiClient client;
    private final Spool spool;
    private final ApiClock clock;
    private final Deadline deadline = this::nanosUntilCutoff;

    private volatile boolean draining;
    private volatile long cutoffNanos;

    // reporter thread only
    private boolean paused;
    private long pausedUntil;
    private int failuresInARow;
    private boolean failing;
    private final LogThrottle dropLog = new LogThrottle(LOG_PERIOD_NANOS);
    private final LogThrottle progressLog;

    private final LongAdder sent = new LongAdder();
    private final LongAdder resent = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder fixed = new LongAdder();

    /**
     * What happened to the events, for the exit summary.
     *
     * @param sent       events in requests the API accepted (re-sent ones included)
     * @param resent     of those, events that came from the spool
     * @param duplicates of those, events the API already had (skipped by their idempotency key)
     * @param retries    HTTP retries of the client
     * @param spooled    events appended to the spool
     * @param dropped    events lost because the spool was full
     * @param rejected   events the API refused one by one, kept in the spool's rejected file
     * @param fixed      events changed by the sanitiser before sending
     * @param pending    events in the spool, still to be sent
     */
    public record Stats(long sent, long resent, long duplicates, long retries, long spooled, long dropped,
                        long rejected, long fixed, long pending) {
    }

    public ApiSink(NullSpendApiClient client, Spool spool) {
        this(client, spool, ApiClock.SYSTEM);
    }

    ApiSink(NullSpendApiClient client, Spool spool, ApiClock clock) {
        this.client = client;
        this.spool = spool;
        this.clock = clock;
        this.progressLog = LogThrottle.firstAfterOnePeriod(PROGRESS_PERIOD_NANOS, clock.nanoTime());
    }

    @Override
    public void write(List<CostEvent> batch) throws IOException {
        List<CostEvent> events = sanitized(batch);
        if (spool.hasBacklog() || !networkAllowed()) {
            keep(events);
            return;
        }
        List<CostEvent> unsent = deliver(events, false);
        if (!unsent.isEmpty()) {
            keep(unsent);
        }
        logProgress();
    }

    @Override
    public long catchUp() {
        try {
            if (!networkAllowed() || !spool.hasBacklog()) {
                return NO_BACKLOG;
            }
            if (isPaused()) {
                return pauseLeft();
            }
            long permit = client.nanosUntilPermit();
            if (permit > 0) {
                return permit;
            }
            Spool.Chunk chunk = spool.next(MAX_EVENTS_PER_REQUEST);
            if (chunk == null) {
                return NO_BACKLOG;
            }
            List<CostEvent> unsent = deliver(sanitized(chunk.events()), true);
            logProgress();
            if (unsent.isEmpty()) {
                spool.acknowledge(chunk);
            } else if (unsent.size() < chunk.events().size() && spool.append(unsent)) {
                // Some went through (or were refused for good): the rest moves to the end of the
                // spool, so that the chunk's file can go once its other events are through. Without
                // room to move them, the whole chunk stays; the API skips what it already has.
                spool.acknowledge(chunk);
            } else if (!isPaused()) {
                pause(MIN_PAUSE_NANOS); // no progress: never spin on the same chunk
            }
            return pauseLeft();
        } catch (IOException e) {
            AgentLog.warnOnce("api-spool-read", "spool " + spool.dir() + ": cannot re-send from it", e);
            pause(MAX_PAUSE_NANOS);
            return MAX_PAUSE_NANOS;
        }
    }

    @Override
    public void drainWithin(Duration timeLeft) {
        cutoffNanos = clock.nanoTime() + Math.max(0, timeLeft.toNanos() - SPOOL_RESERVE.toNanos());
        draining = true;
    }

    @Override
    public void close() {
        spool.close();
    }

    @Override
    public String describe() {
        return "api: " + Redaction.url(client.baseUrl());
    }

    public Stats stats() {
        return new Stats(sent.sum(), resent.sum(), duplicates.sum(), client.retries(), spooled.sum(), dropped.sum(),
                rejected.sum(), fixed.sum(), spool.pendingEvents());
    }

    /**
     * One line for the exit summary and the agent's log, e.g. {@code api: https://nullspend.dev
     * (120 sent, 15 spooled, 0 dropped, 3 retries, 15 re-sent from the spool)}, then what waits in
     * the spool for the next start, if anything.
     */
    public String summary() {
        Stats s = stats();
        StringBuilder line = counts(s);
        if (s.pending() > 0 || s.rejected() > 0) {
            line.append("; spool ").append(spool.dir()).append(": ").append(RunSummary.number(s.pending()))
                    .append(" to send at the next start");
            if (s.rejected() > 0) {
                line.append(", refused events in *.rejected.jsonl");
            }
        }
        return line.toString();
    }

    /**
     * Logs, at most once a minute and only when something happened since the last line, where the
     * events stand, so a long run shows in its log that events flow (or pile up in the spool)
     * without waiting for the exit summary.
     */
    private void logProgress() {
        Stats s = stats();
        long activity = s.sent() + s.spooled() + s.dropped() + s.rejected() + s.retries();
        if (progressLog.due(activity, clock.nanoTime())) {
            StringBuilder line = counts(s);
            if (s.pending() > 0) {
                line.append("; ").append(RunSummary.number(s.pending())).append(" waiting in the spool ")
                        .append(spool.dir());
            }
            AgentLog.info(line.toString());
        }
    }

    /** {@code api: URL (120 sent, 15 spooled, 0 dropped, 3 retries, …)}. */
    private StringBuilder counts(Stats s) {
        StringBuilder line = new StringBuilder(describe()).append(" (")
                .append(RunSummary.number(s.sent())).append(" sent, ")
                .append(RunSummary.number(s.spooled())).append(" spooled, ")
                .append(RunSummary.number(s.dropped())).append(" dropped, ")
                .append(RunSummary.number(s.retries())).append(s.retries() == 1 ? " retry" : " retries");
        if (s.resent() > 0) {
            line.append(", ").append(RunSummary.number(s.resent())).append(" re-sent from the spool");
        }
        if (s.duplicates() > 0) {
            line.append(", ").append(RunSummary.number(s.duplicates())).append(" already at the API");
        }
        if (s.fixed() > 0) {
            line.append(", ").append(RunSummary.number(s.fixed())).append(" fixed before sending");
        }
        if (s.rejected() > 0) {
            line.append(", ").append(RunSummary.number(s.rejected())).append(" refused by the API");
        }
        return line.append(')');
    }

    // ---- delivery ----

    /** An event with its JSON form (no {@code createdAt}), encoded once however often it is split. */
    private record Encoded(CostEvent event, byte[] json) {
    }

    /** Sends events as requests of at most 100 events and {@value #MAX_BODY_BYTES} bytes; returns those not sent. */
    private List<CostEvent> deliver(List<CostEvent> events, boolean fromSpool) {
        List<CostEvent> unsent = new ArrayList<>();
        int[] splitBudget = {MAX_SPLIT_REQUESTS};
        for (List<Encoded> request : requests(events)) {
            post(request, fromSpool, splitBudget, unsent);
        }
        return unsent;
    }

    private void post(List<Encoded> request, boolean fromSpool, int[] splitBudget, List<CostEvent> unsent) {
        if (isPaused() || !networkAllowed()) {
            addEvents(request, unsent); // the API just failed: the rest waits in the spool
            return;
        }
        try {
            ApiResponse response = client.postCostEventBatch(body(request), deadline);
            accepted(request.size(), response.insertedCount(), fromSpool);
        } catch (ApiException e) {
            switch (e.kind()) {
                case REFUSED -> {
                    if (!isAboutContent(e.status())) {
                        failed(e);
                        addEvents(request, unsent);
                    } else if (request.size() == 1) {
                        reject(request.get(0).event(), e);
                    } else if (splitBudget[0] < 2) {
                        addEvents(request, unsent); // found later, on a fresh budget
                    } else {
                        splitBudget[0] -= 2;
                        int half = request.size() / 2;
                        post(request.subList(0, half), fromSpool, splitBudget, unsent);
                        post(request.subList(half, request.size()), fromSpool, splitBudget, unsent);
                    }
                }
                case UNAVAILABLE, NETWORK -> {
                    failed(e);
                    addEvents(request, unsent);
                }
                case ABANDONED -> addEvents(request, unsent);
            }
        }
    }

    private static boolean isAboutContent(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    private void accepted(int events, int inserted, boolean fromSpool) {
        sent.add(events);
        if (fromSpool) {
            resent.add(events);
        }
        if (inserted >= 0 && inserted < events) {
            duplicates.add(events - inserted);
        }
        failuresInARow = 0;
        paused = false;
        if (failing) {
            failing = false;
            AgentLog.info(describe() + ": the API accepts cost events again"
                    + (spool.hasBacklog() ? "; re-sending the spool" : ""));
        }
    }

    private void failed(ApiException e) {
        failuresInARow++;
        long pause = e.kind() == ApiException.Kind.REFUSED
                ? MAX_PAUSE_NANOS : Math.min(MAX_PAUSE_NANOS, MIN_PAUSE_NANOS << Math.min(failuresInARow - 1, 5));
        pause(Math.max(pause, e.retryAfterNanos()));
        if (!failing) {
            failing = true; // one line per outage, not one per request
            AgentLog.warn(describe() + ": " + e.getMessage() + "; cost events are kept in the spool " + spool.dir()
                    + " and sent when the API accepts them again");
        }
    }

    private boolean isPaused() {
        return pauseLeft() > 0;
    }

    /** Nanoseconds until the API may be tried again, 0 when it may be now. */
    private long pauseLeft() {
        return paused ? Math.max(0, pausedUntil - clock.nanoTime()) : 0;
    }

    private void pause(long nanos) {
        paused = true;
        pausedUntil = clock.nanoTime() + nanos;
    }

    private void reject(CostEvent event, ApiException e) {
        try {
            if (spool.reject(event, e.status(), e.code(), e.getMessage())) {
                rejected.increment();
                AgentLog.warn(describe() + ": the API refused a cost event (" + e.getMessage() + "); it is kept in "
                        + spool.dir() + " (*.rejected.jsonl), idempotencyKey " + event.idempotencyKey());
                return;
            }
        } catch (IOException io) {
            AgentLog.warn(describe() + ": cannot keep a refused cost event in the spool", io);
        }
        dropped.increment();
        logDrops();
    }

    /** Appends to the spool; counts (and logs, throttled) what does not fit. Throws on I/O errors: the reporter retries. */
    private void keep(List<CostEvent> events) throws IOException {
        if (spool.append(events)) {
            spooled.add(events.size());
        } else {
            dropped.add(events.size());
            logDrops();
        }
    }

    private void logDrops() {
        long count = dropped.sum();
        if (dropLog.due(count, clock.nanoTime())) {
            AgentLog.warn(describe() + ": the spool " + spool.dir() + " is full, " + count + " cost event"
                    + (count == 1 ? "" : "s") + " dropped so far (raise nullspend.spool.max-mb)");
        }
    }

    private List<CostEvent> sanitized(List<CostEvent> batch) {
        List<CostEvent> out = new ArrayList<>(batch.size());
        for (CostEvent e : batch) {
            CostEventSanitizer.Result result = CostEventSanitizer.sanitize(e);
            if (!result.fixes().isEmpty()) {
                fixed.increment();
                for (CostEventSanitizer.Fix fix : result.fixes()) {
                    AgentLog.warnOnce("api-fix:" + fix, describe() + ": cost events fixed before sending: "
                            + fix.description() + " (counted in the exit summary)");
                }
            }
            out.add(result.event());
        }
        return out;
    }

    private static List<List<Encoded>> requests(List<CostEvent> events) {
        List<List<Encoded>> requests = new ArrayList<>();
        List<Encoded> request = new ArrayList<>();
        long bytes = BODY_START.length + BODY_END.length;
        for (CostEvent event : events) {
            byte[] json = CostEventJson.toJson(event, false).getBytes(StandardCharsets.UTF_8);
            if (!request.isEmpty() && (request.size() == MAX_EVENTS_PER_REQUEST
                    || bytes + 1 + json.length > MAX_BODY_BYTES)) {
                requests.add(request);
                request = new ArrayList<>();
                bytes = BODY_START.length + BODY_END.length;
            }
            request.add(new Encoded(event, json));
            bytes += json.length + 1;
        }
        if (!request.isEmpty()) {
            requests.add(request);
        }
        return requests;
    }

    private static byte[] body(List<Encoded> request) {
        int size = BODY_START.length + BODY_END.length + request.size();
        for (Encoded e : request) {
            size += e.json().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(BODY_START);
        for (int i = 0; i < request.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(request.get(i).json());
        }
        out.writeBytes(BODY_END);
        return out.toByteArray();
    }

    private static void addEvents(List<Encoded> request, List<CostEvent> to) {
        for (Encoded e : request) {
            to.add(e.event());
        }
    }

    private boolean networkAllowed() {
        return nanosUntilCutoff() > 0;
    }

    private long nanosUntilCutoff() {
        return draining ? cutoffNanos - clock.nanoTime() : Long.MAX_VALUE;
    }
}
