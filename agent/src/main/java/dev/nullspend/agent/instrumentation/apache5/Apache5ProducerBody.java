package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.Exchange;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Copies an async request body for recognition, only from the library's two in-memory entity
 * producers ({@code BasicAsyncEntityProducer} from bytes or a string, {@code StringAsyncEntityProducer};
 * what {@code SimpleHttpRequest} bodies, {@code AsyncRequestBuilder.setEntity(…)} and
 * {@code AsyncEntityProducers.create(String|byte[])} use). The copy drives the producer's own
 * {@code produce} into this channel, to the end, keeping the first
 * {@link Exchange#MAX_BODY_COPY} bytes, then calls {@code releaseResources()}: the documented
 * way a repeatable producer is rewound (the client does the same before a retry), so the request
 * then sends exactly the same bytes. Running to the end matters: it leaves no encoded bytes
 * behind in a string producer's buffer. Any other producer (files, streams, reactive bodies) is
 * never touched; its body stays unknown.
 */
public final class Apache5ProducerBody implements Exchange.BodySource, DataStreamChannel {
    private static final Set<String> IN_MEMORY = Set.of(
            "org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer",
            "org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer");
    /** An in-memory producer writes on every call; a run of calls that write nothing means something else is going on. */
    private static final int MAX_IDLE_CALLS = 64;

    private final AsyncEntityProducer producer;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private long written;
    private boolean ended;

    private Apache5ProducerBody(AsyncEntityProducer producer) {
        this.producer = producer;
    }

    /** The body of a request whose entity details are {@code entity} (null: no body). */
    public static Exchange.BodySource of(EntityDetails entity) {
        if (entity == null) {
            return Exchange.BodySource.EMPTY;
        }
        if (entity instanceof AsyncEntityProducer && IN_MEMORY.contains(entity.getClass().getName())) {
            return new Apache5ProducerBody((AsyncEntityProducer) entity);
        }
        return Exchange.BodySource.NONE;
    }

    @Override
    public byte[] read() {
        try {
            for (int idle = 0; !ended; ) {
                long before = written;
                producer.produce(this);
                idle = written == before ? idle + 1 : 0;
                if (idle > MAX_IDLE_CALLS) {
                    return null;
                }
            }
            return copy.toByteArray();
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            producer.releaseResources();
        }
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        int keep = (int) Math.min(n, Math.max(0, Exchange.MAX_BODY_COPY - written));
        if (keep > 0) {
            byte[] b = new byte[keep];
            src.duplicate().get(b);
            copy.write(b, 0, keep);
        }
        src.position(src.limit());
        written += n;
        return n;
    }

    @Override
    public void requestOutput() {
        // always ready: everything is taken at once
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
