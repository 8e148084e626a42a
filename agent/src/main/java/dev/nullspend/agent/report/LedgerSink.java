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
 * <p>Durability and sharing guarantees are those of {@link JsonlAppender} without fsync: a batch
 * is one {@code O_APPEND} write (batches of several processes never interleave on a local file
 * system), it survives a crash of this process once {@link #write} returns, a torn last line is
 * left alone on its line. When a short write fails after part of a batch reached the file, the
 * retried batch can repeat the complete lines of that part; events carry an {@code idempotencyKey}
 * for that.
 */
public final class LedgerSink implements EventSink {

    private final Path path;
    private final JsonlAppender file;
    private boolean closed;

    public LedgerSink(Path path) {
        this.path = path.toAbsolutePath();
        this.file = new JsonlAppender(this.path, false);
    }

    public LedgerSink(File file) {
        this(file.toPath());
    }

    @Override
    public synchronized void write(List<CostEvent> batch) throws IOException {
        if (closed) {
            throw new IOException("ledger " + path + " is closed");
        }
        file.append(CostEventJson.lines(batch, true));
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
