package dev.nullspend.agent.report;

import java.io.IOException;

/**
 * A write that failed after part of it reached its destination: the first {@link #delivered()}
 * lines (for {@link JsonlAppender}) or events of the batch (for an {@link EventSink}) are there,
 * complete, and must not be written again; the rest is not.
 */
public final class PartialWriteException extends IOException {
    private final int delivered;

    public PartialWriteException(int delivered, IOException cause) {
        super(delivered == 0 ? cause.getMessage() : cause.getMessage() + " (" + delivered + " written before the failure)", cause);
        this.delivered = delivered;
    }

    public int delivered() {
        return delivered;
    }
}
