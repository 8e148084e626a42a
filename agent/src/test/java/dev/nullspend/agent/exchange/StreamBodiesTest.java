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

        try (InputStream in = StreamBodies.teeContent(body(new ByteArrayInputStream(BODY)), sink, null)) {
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

        InputStream in = StreamBodies.teeContent(body(source), sink, null);
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

        assertThatThrownBy(() -> StreamBodies.teeContent(body(failing), sink, null).read(new byte[8], 0, 8)).isSameAs(broken);
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
        }, cannotOpen, null)).isSameAs(broken);
        assertThat(cannotOpen.end()).isEqualTo("error");
    }

    @Test
    void writeToTeesWhatIsWrittenAndCompletesWhenTheWriteReturns() throws IOException {
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream program = new ByteArrayOutputStream();

        StreamBodies.teeWriteTo(writingAround(BODY, 10), program, sink, null);

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
        }), new ByteArrayOutputStream(), sink, null)).isSameAs(broken);
        assertThat(sink.bytes()).hasSize(3);
        assertThat(sink.ends()).containsExactly("error");
    }

    /** Drops every 'x' (held until the next byte), so both tee directions must deliver held and filtered bytes right. */
    private static final class DropX implements ResponseFilter {
        private boolean holding;

        @Override
        public java.nio.ByteBuffer filter(java.nio.ByteBuffer bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (holding) {
                    holding = false;
                    out.write('!');
                }
                if (b == 'x') {
                    continue;
                }
                if (b == 'h') {
                    holding = true;
                    continue;
                }
                out.write(b);
            }
            return java.nio.ByteBuffer.wrap(out.toByteArray());
        }

        @Override
        public java.nio.ByteBuffer finish() {
            boolean held = holding;
            holding = false;
            return java.nio.ByteBuffer.wrap(held ? new byte[] {'!'} : new byte[0]);
        }
    }

    @Test
    void withAFilterTheProgramReadsWhatItPassesAndTheSinkTheBody() throws IOException {
        byte[] body = "axxbhcxxxxh".getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream program = new ByteArrayOutputStream();
        try (InputStream in = StreamBodies.teeContent(body(new OneByteAtATime(body)), sink, new DropX())) {
            assertThat(in.read()).isEqualTo('a');
            byte[] buf = new byte[3];
            for (int n; (n = in.read(buf, 0, buf.length)) != -1; ) {
                assertThat(n).as("a read returns data or the end").isPositive();
                program.write(buf, 0, n);
            }
        }
        assertThat(program.toString(StandardCharsets.UTF_8)).isEqualTo("b!c!");
        assertThat(sink.bytes()).containsExactly(body);
        assertThat(sink.end()).isEqualTo("complete");

        RecordingSink written = new RecordingSink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamBodies.teeWriteTo(writingAround(body, 5), out, written, new DropX());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ab!c!");
        assertThat(written.bytes()).containsExactly(body);
    }

    @Test
    void readAheadTakesAtMostOneByteMoreThanTheBoundAndReplayGivesEveryByte() throws IOException {
        InputStream in = new ByteArrayInputStream(BODY);
        byte[] ahead = StreamBodies.readAhead(in, 10);
        assertThat(ahead).containsExactly(Arrays.copyOf(BODY, 11));
        assertThat(StreamBodies.replay(ahead, in).readAllBytes()).containsExactly(BODY);
        assertThat(StreamBodies.readAhead(new ByteArrayInputStream(BODY), BODY.length)).containsExactly(BODY);
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
        assertThat(opens).as("opened twice: once to copy, once to see it is a fresh stream each time").hasValue(2);
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
        assertThat(closes).as("both fresh streams").hasValue(2);
    }

    /**
     * The AWS SDK's Apache entities say they are repeatable but hand out one shared stream, which
     * they rewind only for a retry: the copy puts it back where it was and never closes it, so the
     * request still sends every byte (before, the copy read it to its end and the request sent none).
     */
    @Test
    void aRepeatableBodyThatSharesOneStreamIsPutBackAfterTheCopy() throws IOException {
        AtomicInteger closes = new AtomicInteger();
        ByteArrayInputStream shared = new ByteArrayInputStream(BODY) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        assertThat(StreamBodies.requestBody(true, () -> shared).read()).containsExactly(BODY);

        assertThat(closes).hasValue(0);
        assertThat(shared.readAllBytes()).as("what the request then sends").containsExactly(BODY);
        InputStream noMark = new java.io.FilterInputStream(new ByteArrayInputStream(BODY)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        assertThat(StreamBodies.requestBody(true, () -> noMark).read()).as("cannot be put back: never read").isNull();
        assertThat(noMark.readAllBytes()).containsExactly(BODY);
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
    /** A body that writes {@code bytes} in three writes: those before {@code at}, the byte at {@code at} alone, the rest. */
    private static StreamBodies.Body writingAround(byte[] bytes, int at) {
        return writing(out -> {
            out.write(bytes, 0, at);
            out.write(bytes[at]);
            out.write(bytes, at + 1, bytes.length - at - 1);
        });
    }

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

    /** A body stream that hands out one byte per read, as a slow network would. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next >= bytes.length) {
                return -1;
            }
            b[off] = bytes[next++];
            return 1;
        }
    }
}
