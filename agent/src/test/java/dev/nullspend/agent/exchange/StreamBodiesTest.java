package dev.nullspend.agent.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamBodiesTest {

    private static final byte[] BODY = "data: {\"a\":1}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void teedStreamShowsEveryByteReadThenCompletesAtTheEnd() throws IOException {
        RecordingSink sink = new RecordingSink();

        try (InputStream in = StreamBodies.teeContent(body(new ByteArrayInputStream(BODY)), sink)) {
            assertThat(in.read()).isEqualTo('d');
            byte[] rest = new byte[4];
            assertThat(in.read(rest, 0, 4)).isEqualTo(4);
            assertThat(sink.bytes()).containsExactly(Arrays.copyOf(BODY, 5));
            assertThat(sink.end()).as("nothing read ahead, nothing ended yet").isNull();
            assertThat(in.skip(3)).isEqualTo(3);
            assertThat(in.readAllBytes()).containsExactly(Arrays.copyOfRange(BODY, 8, BODY.length));
        }

        assertThat(sink.bytes()).as("skipped bytes are part of the body too").containsExactly(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void closingBeforeTheEndCancels() throws IOException {
        RecordingSink sink = new RecordingSink();
        AtomicInteger closes = new AtomicInteger();
        InputStream source = new ByteArrayInputStream(BODY) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        InputStream in = StreamBodies.teeContent(body(source), sink);
        in.read(new byte[6]);
        in.close();

        assertThat(sink.bytes()).containsExactly(Arrays.copyOf(BODY, 6));
        assertThat(sink.end()).isEqualTo("cancel");
        assertThat(closes).as("the client's stream is closed").hasValue(1);
    }

    @Test
    void readErrorsFailTheSinkAndReachTheProgram() {
        RecordingSink sink = new RecordingSink();
        IOException broken = new IOException("connection reset");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }
        };

        RecordingSink cannotOpen = new RecordingSink();

        assertThatThrownBy(() -> StreamBodies.teeContent(body(failing), sink).read(new byte[8], 0, 8)).isSameAs(broken);
        assertThat(sink.end()).isEqualTo("error");
        assertThatThrownBy(() -> StreamBodies.teeContent(new StreamBodies.Body() {
            @Override
            public InputStream openBody() throws IOException {
                throw broken;
            }

            @Override
            public void writeBody(OutputStream out) {
                throw new AssertionError("not written");
            }
        }, cannotOpen)).isSameAs(broken);
        assertThat(cannotOpen.end()).isEqualTo("error");
    }

    @Test
    void writeToTeesWhatIsWrittenAndCompletesWhenTheWriteReturns() throws IOException {
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream program = new ByteArrayOutputStream();

        StreamBodies.teeWriteTo(writing(out -> {
            out.write(BODY, 0, 10);
            out.write(BODY[10]);
            out.write(BODY, 11, BODY.length - 11);
        }), program, sink);

        assertThat(program.toByteArray()).containsExactly(BODY);
        assertThat(sink.bytes()).containsExactly(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void aFailedWriteToFailsTheSink() {
        RecordingSink sink = new RecordingSink();
        IOException broken = new IOException("premature end");

        assertThatThrownBy(() -> StreamBodies.teeWriteTo(writing(out -> {
            out.write(BODY, 0, 3);
            throw broken;
        }), new ByteArrayOutputStream(), sink)).isSameAs(broken);
        assertThat(sink.bytes()).hasSize(3);
        assertThat(sink.ends()).containsExactly("error");
    }

    @Test
    void requestBodyIsCopiedOnlyFromARepeatableBodyAndOnlyWhenAsked() {
        AtomicInteger opens = new AtomicInteger();
        StreamBodies.Opener content = () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(BODY);
        };

        Exchange.BodySource nonRepeatable = StreamBodies.requestBody(false, content);
        Exchange.BodySource repeatable = StreamBodies.requestBody(true, content);

        assertThat(opens).as("lazy").hasValue(0);
        assertThat(nonRepeatable.read()).isNull();
        assertThat(opens).as("a non-repeatable body is never opened").hasValue(0);
        assertThat(repeatable.read()).containsExactly(BODY);
        assertThat(opens).hasValue(1);
        assertThat(StreamBodies.requestBody(true, () -> {
            throw new UnsupportedOperationException("writeTo only");
        }).read()).isNull();
    }

    @Test
    void requestBodyCopyStopsAtTheLimit() {
        byte[] big = new byte[Exchange.MAX_BODY_COPY + 12345];
        Arrays.fill(big, (byte) 'x');
        AtomicInteger closes = new AtomicInteger();

        byte[] copy = StreamBodies.requestBody(true, () -> new ByteArrayInputStream(big) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        }).read();

        assertThat(copy).hasSize(Exchange.MAX_BODY_COPY);
        assertThat(closes).hasValue(1);
    }

    /** What a response entity's write does. */
    private interface Write {
        void to(OutputStream out) throws IOException;
    }

    /** A client body that hands out {@code content}. */
    private static StreamBodies.Body body(InputStream content) {
        return new StreamBodies.Body() {
            @Override
            public InputStream openBody() {
                return content;
            }

            @Override
            public void writeBody(OutputStream out) {
                throw new AssertionError("not written");
            }
        };
    }

    /** A client body that is written by {@code write}. */
    private static StreamBodies.Body writing(Write write) {
        return new StreamBodies.Body() {
            @Override
            public InputStream openBody() {
                throw new AssertionError("not read");
            }

            @Override
            public void writeBody(OutputStream out) throws IOException {
                write.to(out);
            }
        };
    }
}
