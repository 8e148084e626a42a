package dev.nullspend.agent.exchange;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link ResponseSink} for tests: keeps the bytes it was shown and every end signal, in order. */
public final class RecordingSink implements ResponseSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> ends = new ArrayList<>();

    @Override
    public synchronized void onBytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        bytes.writeBytes(b);
    }

    @Override
    public synchronized void onComplete() {
        ends.add("complete");
    }

    @Override
    public synchronized void onError(Throwable error) {
        ends.add("error");
    }

    @Override
    public synchronized void onCancel() {
        ends.add("cancel");
    }

    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Every end signal received, in order (a real sink counts only the first). */
    public synchronized List<String> ends() {
        return List.copyOf(ends);
    }

    /** The end signal that counts: the first one, or null. */
    public synchronized String end() {
        return ends.isEmpty() ? null : ends.get(0);
    }
}
