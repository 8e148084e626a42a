package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;

import java.io.IOException;
import java.util.List;

/**
 * Where the {@link Reporter} delivers batches of cost events: the local ledger, the NullSpend
 * API, a disk spool. Called from the reporter's single thread only, so an implementation needs
 * no locking of its own against the reporter.
 */
public interface EventSink extends AutoCloseable {

    /**
     * Delivers one batch. All or nothing as far as the medium allows: when this throws, the
     * reporter assumes none of the batch arrived and offers the same batch again later, so a
     * sink should not leave part of a batch behind on failure.
     *
     * @param batch unmodifiable, never empty; the sink may keep a reference to it
     * @throws IOException when the batch could not be delivered (the reporter retries it)
     */
    void write(List<CostEvent> batch) throws IOException;

    /** Releases the sink's resources. Idempotent; never throws (failures are logged). */
    @Override
    void close();

    /** A short human description for logs and the exit summary, e.g. {@code ledger: /tmp/nullspend-ledger.jsonl}. */
    String describe();
}
