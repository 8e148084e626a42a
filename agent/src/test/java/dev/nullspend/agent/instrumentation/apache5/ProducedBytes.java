package dev.nullspend.agent.instrumentation.apache5;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/** What an entity producer sends, collected the way a connection would: produce until end of stream. */
final class ProducedBytes implements DataStreamChannel {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean ended;

    static byte[] of(AsyncEntityProducer producer) throws IOException {
        ProducedBytes channel = new ProducedBytes();
        for (int calls = 0; !channel.ended; calls++) {
            if (calls > 100_000) {
                throw new AssertionError("the producer never ended its stream");
            }
            producer.produce(channel);
        }
        return channel.out.toByteArray();
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        byte[] b = new byte[n];
        src.get(b);
        out.writeBytes(b);
        return n;
    }

    @Override
    public void requestOutput() {
    }

    @Override
    public void endStream() {
        ended = true;
    }

    @Override
    public void endStream(List<? extends Header> trailers) {
        ended = true;
    }
}
