package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Where the {@link Reporter} delivers batches of cost events: the local ledger, the NullSpend
 * API. Called from the reporter's single thread only (except {@link #drainWithin}), so an
 * implementation needs no locking of its own against the reporter.
 */
public interface EventSink extends AutoCloseable {

    /** {@link #catchUp()}'s answer when the sink has nothing of its own to send. */
    long NO_BACKLOG = -1;

    /**
     * Delivers one batch. All or nothing as far as the medium allows: when this throws, the
     * reporter offers the same batch (the same list) again later. A sink that could deliver only
     * the first events throws {@link PartialWriteException} with their number, and must then not
     * deliver them a second time when the same batch comes again; on any other exception the
     * reporter assumes none of the batch arrived.
     *
     * @param batch unmodifiable, never empty; the sink may keep a reference to it
     * @throws IOException when the batch could not be delivered (the reporter retries it)
     */
    void write(List<CostEvent> batch) throws IOException;

    /**
     * Sends part of a backlog the sink keeps itself (the API sink's spool). The reporter calls it
     * whenever it has no batch pending, also while it drains at shutdown; it should do one bounded
     * step (one request) per call.
     *
     * @return {@link #NO_BACKLOG} when there is nothing to send now; otherwise the nanoseconds
     *         after which to call again (0: at once)
     */
    default long catchUp() {
        return NO_BACKLOG;
    }

    /**
     * Called once, on the thread that shuts the reporter down, before the final drain: from now
     * on every call of this sink must return within {@code timeLeft} (a sink that waits on a
     * network stops doing so in time, and keeps what it could not send).
     */
    default void drainWithin(Duration timeLeft) {
    }

    /** Releases the sink's resources. Idempotent; never throws (failures are logged). */
    @Override
    void close();

    /** A short human description for logs and the exit summary, e.g. {@code ledger: /tmp/nullspend-ledger.jsonl}. */
    String describe();
}
