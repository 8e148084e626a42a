package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.ResponseSink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A {@link ResponseSink} that records what a tee showed it, in order. */
final class RecordingSink implements ResponseSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** {@code complete}, {@code error:<class>}, {@code cancel}, in the order they came. */
    final List<String> ends = new ArrayList<>();

    @Override
    public void onBytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        bytes.writeBytes(b);
    }

    @Override
    public void onComplete() {
        ends.add("complete");
    }

    @Override
    public void onError(Throwable error) {
        ends.add("error:" + error.getClass().getSimpleName());
    }

    @Override
    public void onCancel() {
        ends.add("cancel");
    }
}
