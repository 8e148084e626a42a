package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The local JSONL ledger: appends each batch as one JSON object per line (UTF-8, {@code \n}),
 * every event with its {@code createdAt}.
 *
 * <p>Durability, sharing and rotation are those of {@link JsonlAppender} without fsync: a batch
 * is one {@code O_APPEND} write (batches of several processes never interleave on a local file
 * system), it survives a crash of this process once {@link #write} returns, and a ledger moved
 * away or deleted by log rotation is created anew at its path. When a write fails after part of a
 * batch reached the file (full disk), the sink remembers how many of its events are there and
 * writes only the others when the reporter offers the same batch again: each event is in the
 * ledger at most once.
 */
public final class LedgerSink implements EventSink {

    private final Path path;
    private final JsonlAppender file;
    private final CostEventJson.LineEncoder lines = new CostEventJson.LineEncoder(true);
    private boolean closed;
    /** The batch a failed write left partly in the file, and how many of its events are there. */
    private List<CostEvent> partial;
    private int partialDelivered;

    public LedgerSink(Path path) {
        this(new JsonlAppender(path.toAbsolutePath(), false));
    }

    public LedgerSink(File file) {
        this(file.toPath());
    }

    LedgerSink(JsonlAppender file) {
        this.path = file.path();
        this.file = file;
    }

    @Override
    public synchronized void write(List<CostEvent> batch) throws IOException {
        if (closed) {
            throw new IOException("ledger " + path + " is closed");
        }
        int from = batch == partial ? partialDelivered : 0;
        try {
            lines.encode(from == 0 ? batch : batch.subList(from, batch.size()));
            file.append(lines.bytes(), lines.length());
            partial = null;
        } catch (PartialWriteException e) {
            partial = batch;
            partialDelivered = from + e.delivered();
            throw new PartialWriteException(partialDelivered, e.getCause() instanceof IOException io ? io : e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        file.close();
    }

    @Override
    public String describe() {
        return "ledger: " + path;
    }
}
