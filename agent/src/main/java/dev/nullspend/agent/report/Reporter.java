package dev.nullspend.agent.report;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous batcher between the threads that make LLM calls and the sinks (ledger, API).
 *
 * <p>Application threads only {@link #submit} into a bounded queue: O(1), never blocking on I/O,
 * never waiting for room. One daemon thread, {@value #THREAD_NAME}, takes batches of at most
 * {@code batchSize} events and writes each batch to every sink: as soon as a full batch is
 * queued (the submitting thread only wakes the reporter), or every {@code flushInterval}.
 *
 * <p>Nothing is lost silently:
 * <ul>
 *   <li>Queue full: the new event is dropped and counted; the reporter thread logs the first
 *       drop at once (at the next interval while a batch is pending) and then at most one
 *       running total every 10 s.</li>
 *   <li>A sink that fails keeps its batch and gets it again on the next interval flush; the
 *       sinks that succeeded do not get it twice. Until every sink is done with that batch no
 *       new batch is taken (at most one pending batch per sink; the queue absorbs the pause). A
 *       batch that fails {@value #MAX_ATTEMPTS} times in a row on one sink counts as dropped, except
 *       the events the sink reported delivered before it failed ({@link PartialWriteException}).</li>
 *   <li>After {@link #shutdown}, submitted events are dropped and counted.</li>
 * </ul>
 *
 * <p>A sink may keep a backlog of its own (the API sink's spool): whenever no batch is pending,
 * the reporter asks each sink for one step of it ({@link EventSink#catchUp()}) and sleeps no
 * longer than the sink asks. At shutdown each sink first learns its time
 * ({@link EventSink#drainWithin}); the queue is drained, then the backlogs, within the bound.
 *
 * <p>Counting: {@code submitted = written + dropped + (still queued or pending)}. An event is
 * {@code written} once every sink has it (for the API sink: the API or its spool),
 * {@code dropped} when any sink lost it.
 */
public final class Reporter {

    public static final String THREAD_NAME = "nullspend-reporter";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** Attempts of one batch on one sink before its events count as dropped. */
    static final int MAX_ATTEMPTS = 3;

    private static final long DROP_LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Time after the drain deadline for the reporter thread to close the sinks. */
    private static final long CLOSE_GRACE_MILLIS = 200;

    /** Queue and batching settings. */
    public record Settings(int queueCapacity, int batchSize, Duration flushInterval) {
        public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
        public static final int DEFAULT_BATCH_SIZE = 100;
        public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

        public Settings {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1: " + queueCapacity);
            }
            if (batchSize < 1 || batchSize > queueCapacity) {
                throw new IllegalArgumentException("batch size must be between 1 and the queue capacity "
                        + queueCapacity + ": " + batchSize);
            }
            Objects.requireNonNull(flushInterval, "flushInterval");
            if (flushInterval.toMillis() < 1) {
                throw new IllegalArgumentException("flush interval must be at least 1 ms: " + flushInterval);
            }
        }

        /** 10,000 events, batches of 100, every second. */
        public static Settings defaults() {
            return new Settings(DEFAULT_QUEUE_CAPACITY, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL);
        }
    }

    /**
     * A snapshot of the counters (each exact; taken one after the other while events flow).
     *
     * @param failedWrites sink write calls that threw, retries included
     */
    public record Stats(long submitted, long written, long dropped, long failedWrites) {
    }

    private final ArrayBlockingQueue<CostEvent> queue;
    private final List<SinkSlot> sinks;
    private final int queueCapacity;
    private final int batchSize;
    private final long intervalNanos;
    private final Thread thread;

    /**
     * Set by a submitter that woke the reporter, cleared by the reporter (left set while a batch
     * is pending): one unpark per round, not one per event.
     */
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final AtomicBoolean lateDropLogged = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile long drainDeadlineNanos;

    private final LongAdder submitted = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedAtShutdown = new LongAdder();
    private final LongAdder droppedBySinks = new LongAdder();
    private final LongAdder failedWrites = new LongAdder();

    /** Flush handshake between {@link #flush} callers and the reporter thread. */
    private final Object flushMonitor = new Object();
    private long flushRequested;
    private long flushCompleted;
    private boolean terminated;

    // Owned by the reporter thread.
    private PendingBatch pending;
    private final LogThrottle queueFullLog = new LogThrottle(DROP_LOG_PERIOD_NANOS);

    private Reporter(List<? extends EventSink> sinks, Settings settings) {
        this.queueCapacity = settings.queueCapacity();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchSize = settings.batchSize();
        this.intervalNanos = settings.flushInterval().toNanos();
        List<SinkSlot> slots = new ArrayList<>(sinks.size());
        for (EventSink sink : sinks) {
            slots.add(new SinkSlot(Objects.requireNonNull(sink, "sink")));
        }
        this.sinks = List.copyOf(slots);
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        // The agent's thread must not pin whatever class loader happened to create it.
        thread.setContextClassLoader(null);
    }

    /** Creates a reporter with the default settings and starts its thread. */
    public static Reporter start(List<? extends EventSink> sinks) {
        return start(sinks, Settings.defaults());
    }

    /** Creates a reporter and starts its thread. */
    public static Reporter start(List<? extends EventSink> sinks, Settings settings) {
        Reporter reporter = new Reporter(sinks, settings);
        reporter.thread.start();
        return reporter;
    }

    /**
     * Queues an event for the sinks. Never blocks and never does I/O, with one exception: the
     * first event submitted after {@link #shutdown} logs a warning once.
     *
     * @param event not null
     * @return false when the event was dropped (queue full, or the reporter is shut down)
     */
    public boolean submit(CostEvent event) {
        submitted.increment();
        if (stopping) {
            dropAfterShutdown();
            return false;
        }
        if (!queue.offer(event)) {
            droppedQueueFull.increment();
            wakeReporter(); // the reporter thread logs the drop; this thread does no I/O
            return false;
        }
        // Shutdown may have drained the queue between the check above and the offer: take the
        // event back so it is counted as dropped. If it is already gone, the drain has it.
        if (stopping && queue.remove(event)) {
            dropAfterShutdown();
            return false;
        }
        if (!wakeRequested.get() && queue.size() >= batchSize) {
            wakeReporter();
        }
        return true;
    }

    /**
     * Waits until the reporter thread has written everything queued before this call (and
     * retried a pending batch once). The caller blocks, but all sink I/O stays on the reporter
     * thread. Meant for tests and explicit checkpoints, never for an application's hot path.
     *
     * @return true when a flush (or the shutdown drain) that began after this call completed;
     *         false on timeout, on interrupt, or when the reporter had already terminated
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long ticket;
        synchronized (flushMonitor) {
            if (terminated) {
                return false;
            }
            ticket = ++flushRequested;
        }
        LockSupport.unpark(thread);
        synchronized (flushMonitor) {
            while (flushCompleted < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(flushMonitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** {@link #flush(Duration)} with the default shutdown timeout of 5 s. */
    public boolean flush() {
        return flush(DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /** {@link #shutdown(Duration)} with 5 s. */
    public void shutdown() {
        shutdown(DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * Stops accepting events (later submits count as dropped), writes everything queued to the
     * sinks within {@code timeout} (a failing sink gets its attempts back to back), closes the
     * sinks and joins the thread. Whatever is not written by the deadline counts as dropped.
     * Idempotent: later calls only wait for the first one to finish.
     */
    public void shutdown(Duration timeout) {
        if (!shutdownStarted.compareAndSet(false, true)) {
            awaitTermination(timeout);
            return;
        }
        drainDeadlineNanos = System.nanoTime() + timeout.toNanos();
        for (SinkSlot slot : sinks) {
            try {
                slot.sink.drainWithin(timeout);
            } catch (RuntimeException | LinkageError e) {
                AgentLog.warn(slot.sink.describe() + ": cannot prepare for shutdown", e);
            }
        }
        stopping = true;
        LockSupport.unpark(thread);
        if (!awaitTermination(timeout.plusMillis(CLOSE_GRACE_MILLIS))) {
            // A sink is blocked. The queue's remaining events will never be written: count them
            // here (drainTo hands each event to one thread only, so nothing is counted twice).
            int abandoned = queue.drainTo(new ArrayList<>());
            droppedAtShutdown.add(abandoned);
            AgentLog.warn("reporter: shutdown did not finish within " + timeout.toMillis() + " ms (a sink is blocked); "
                    + abandoned + " queued cost events not written");
        }
    }

    public Stats stats() {
        return new Stats(submitted.sum(), written.sum(),
                droppedQueueFull.sum() + droppedAtShutdown.sum() + droppedBySinks.sum(), failedWrites.sum());
    }

    private void wakeReporter() {
        if (wakeRequested.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void dropAfterShutdown() {
        droppedAtShutdown.increment();
        if (lateDropLogged.compareAndSet(false, true)) {
            AgentLog.warn("reporter: shut down, cost events submitted from now on are dropped (counted)");
        }
    }

    private boolean awaitTermination(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    // ---- reporter thread ----

    private void run() {
        long nextFlushAt = System.nanoTime() + intervalNanos;
        while (!stopping) {
            if (pending == null) {
                // While a batch is pending only the interval retries it: leaving the flag set
                // spares submitters from waking this thread for nothing.
                wakeRequested.set(false);
            }
            try {
                long ticket = unservedFlushTicket();
                long now = System.nanoTime();
                if (ticket > 0 || now - nextFlushAt >= 0) {
                    nextFlushAt = now + intervalNanos;
                    flushQueued();
                    completeFlush(ticket);
                } else if (pending == null && queue.size() >= batchSize) {
                    deliver(takeBatch());
                }
                logQueueFullDrops(false);
            } catch (RuntimeException e) {
                AgentLog.warnOnce("reporter-loop", "reporter: unexpected failure, continuing", e);
            }
            // A sink's own backlog (the API sink's spool) is sent one step per round, between batches.
            long catchUpIn = pending == null && !stopping ? catchUpSinks() : EventSink.NO_BACKLOG;
            // Nothing pending and a full batch waiting, or a wake-up that arrived during this round
            // (a drop to log): go on at once. Otherwise sleep until the next interval, the next
            // backlog step, or a wake-up (full batch, drop, flush request, shutdown).
            if (!stopping && (pending != null || (queue.size() < batchSize && !wakeRequested.get()))) {
                long sleep = nextFlushAt - System.nanoTime();
                LockSupport.parkNanos(this, catchUpIn >= 0 ? Math.min(sleep, catchUpIn) : sleep);
            }
        }
        drainAndClose();
    }

    /** Retries the pending batch, then writes everything that was queued when the flush began. */
    private void flushQueued() {
        if (pending != null) {
            retryPending();
        }
        int budget = queue.size(); // bounded, so a steady stream of events cannot hold a flush forever
        while (pending == null && budget > 0) {
            List<CostEvent> batch = takeBatch();
            if (batch.isEmpty()) {
                return;
            }
            budget -= batch.size();
            deliver(batch);
        }
    }

    private List<CostEvent> takeBatch() {
        List<CostEvent> batch = new ArrayList<>(Math.min(batchSize, Math.max(1, queue.size())));
        queue.drainTo(batch, batchSize);
        return Collections.unmodifiableList(batch);
    }

    private void deliver(List<CostEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        PendingBatch owed = new PendingBatch(batch);
        for (SinkSlot slot : sinks) {
            if (!tryWrite(slot, owed)) {
                owed.failedAttempts.put(slot, 1);
            }
        }
        settle(owed);
    }

    private void retryPending() {
        PendingBatch owed = pending;
        Iterator<Map.Entry<SinkSlot, Integer>> it = owed.failedAttempts.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<SinkSlot, Integer> entry = it.next();
            SinkSlot slot = entry.getKey();
            if (tryWrite(slot, owed)) {
                it.remove();
            } else if (entry.getValue() + 1 >= MAX_ATTEMPTS) {
                it.remove();
                int delivered = owed.delivered(slot);
                owed.lostFrom = Math.min(owed.lostFrom, delivered);
                AgentLog.warn(slot.sink.describe() + ": dropped " + (owed.events.size() - delivered) + " cost events after "
                        + MAX_ATTEMPTS + " failed writes" + (delivered > 0 ? " (" + delivered + " of the batch were written)" : ""));
            } else {
                entry.setValue(entry.getValue() + 1);
            }
        }
        settle(owed);
    }

    /** Keeps the batch pending while a sink still owes it; otherwise counts it once. */
    private void settle(PendingBatch owed) {
        if (!owed.failedAttempts.isEmpty()) {
            pending = owed;
            return;
        }
        pending = null;
        written.add(owed.lostFrom);
        droppedBySinks.add(owed.events.size() - owed.lostFrom);
    }

    private boolean tryWrite(SinkSlot slot, PendingBatch owed) {
        try {
            slot.sink.write(owed.events);
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError too: a class missing from the agent jar must not kill the reporter thread.
            failedWrites.increment();
            if (e instanceof PartialWriteException partly) {
                owed.delivered.merge(slot, partly.delivered(), Math::max);
            }
            if (!slot.failing) {
                slot.failing = true; // one line per failure burst, not one per attempt
                AgentLog.warn(slot.sink.describe() + ": write failed, will retry", e);
            }
            return false;
        }
        if (slot.failing) {
            slot.failing = false;
            AgentLog.info(slot.sink.describe() + ": writes succeed again");
        }
        return true;
    }

    private void drainAndClose() {
        long deadline = drainDeadlineNanos;
        try {
            while (System.nanoTime() - deadline < 0) {
                if (pending != null) {
                    retryPending();
                } else {
                    List<CostEvent> batch = takeBatch();
                    if (batch.isEmpty()) {
                        break;
                    }
                    deliver(batch);
                }
            }
        } catch (RuntimeException e) {
            AgentLog.warn("reporter: failure while draining at shutdown", e);
        }
        drainBacklogs(deadline);
        int abandoned = queue.drainTo(new ArrayList<>());
        if (pending != null) {
            // Events every sink has (a sink that failed part-way wrote the first ones) are written, the rest lost.
            int everywhere = pending.lostFrom;
            for (SinkSlot slot : pending.failedAttempts.keySet()) {
                everywhere = Math.min(everywhere, pending.delivered(slot));
            }
            written.add(everywhere);
            abandoned += pending.events.size() - everywhere;
            pending = null;
        }
        if (abandoned > 0) {
            droppedAtShutdown.add(abandoned);
            AgentLog.warn("reporter: shutdown deadline passed, " + abandoned + " cost events not written");
        }
        for (SinkSlot slot : sinks) {
            try {
                slot.sink.close();
            } catch (RuntimeException e) {
                AgentLog.warn(slot.sink.describe() + ": close failed", e);
            }
        }
        logQueueFullDrops(true);
        synchronized (flushMonitor) {
            terminated = true;
            flushCompleted = flushRequested;
            flushMonitor.notifyAll();
        }
    }

    /** One backlog step of every sink; the soonest next step, or {@link EventSink#NO_BACKLOG}. */
    private long catchUpSinks() {
        long soonest = EventSink.NO_BACKLOG;
        for (SinkSlot slot : sinks) {
            long next;
            try {
                next = slot.sink.catchUp();
            } catch (RuntimeException | LinkageError e) {
                AgentLog.warnOnce("catch-up:" + slot.sink.describe(), slot.sink.describe() + ": cannot send its backlog", e);
                next = EventSink.NO_BACKLOG;
            }
            if (next >= 0 && (soonest < 0 || next < soonest)) {
                soonest = next;
            }
        }
        return soonest;
    }

    /** At shutdown, after the queue: the sinks' backlogs, until they are sent or the deadline passes. */
    private void drainBacklogs(long deadline) {
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                long next = catchUpSinks();
                if (next < 0) {
                    return;
                }
                if (next > 0) {
                    LockSupport.parkNanos(this, Math.min(next, left));
                }
            }
        } catch (RuntimeException e) {
            AgentLog.warn("reporter: failure while sending backlogs at shutdown", e);
        }
    }

    /** Logs the running count of queue-full drops when it grew: throttled, or at once for the final report. */
    private void logQueueFullDrops(boolean finalReport) {
        long count = droppedQueueFull.sum();
        long now = System.nanoTime();
        if (finalReport ? queueFullLog.pending(count, now) : queueFullLog.due(count, now)) {
            AgentLog.warn("reporter: queue full (capacity " + queueCapacity + "), " + count + " cost event"
                    + (count == 1 ? "" : "s") + " dropped so far");
        }
    }

    /** The newest flush ticket not yet served, or 0. */
    private long unservedFlushTicket() {
        synchronized (flushMonitor) {
            return flushRequested > flushCompleted ? flushRequested : 0;
        }
    }

    private void completeFlush(long ticket) {
        if (ticket == 0) {
            return;
        }
        synchronized (flushMonitor) {
            flushCompleted = Math.max(flushCompleted, ticket);
            flushMonitor.notifyAll();
        }
    }

    /** A sink and whether it is in a failure burst (reporter thread only). */
    private static final class SinkSlot {
        final EventSink sink;
        boolean failing;

        SinkSlot(EventSink sink) {
            this.sink = sink;
        }
    }

    /** A batch some sinks have not accepted yet, with each such sink's failed attempts. */
    private static final class PendingBatch {
        final List<CostEvent> events;
        final Map<SinkSlot, Integer> failedAttempts = new LinkedHashMap<>();
        /** Per sink that failed part-way: how many of the first events it has ({@link PartialWriteException}). */
        final Map<SinkSlot, Integer> delivered = new HashMap<>();
        /** Events from this index on were lost by a sink that gave up; the size while none did. */
        int lostFrom;

        PendingBatch(List<CostEvent> events) {
            this.events = events;
            this.lostFrom = events.size();
        }

        int delivered(SinkSlot slot) {
            return delivered.getOrDefault(slot, 0);
        }
    }
}
