package dev.nullspend.agent.instrumentation.okhttp;

import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeeResponseBodyTest {
    private static final MediaType SSE = MediaType.parse("text/event-stream; charset=utf-8");
    private static final String BODY = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";

    @Test
    void stringShowsEveryByteThenCompletesOnceAndKeepsTypeAndLength() throws IOException {
        RecordingSink sink = new RecordingSink();
        @SuppressWarnings("deprecation") // the form OkHttp 3 has
        ResponseBody original = ResponseBody.create(SSE, BODY);
        TeeResponseBody tee = new TeeResponseBody(original, sink, null);

        assertThat(tee.contentType()).isEqualTo(SSE);
        assertThat(tee.contentLength()).isEqualTo(BODY.length());
        assertThat(tee.string()).isEqualTo(BODY);
        assertThat(sink.bytes.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat(sink.ends).as("string() closes after the end: no cancel").containsExactly("complete");
    }

    @Test
    void closeBeforeTheEndCancelsAfterShowingOnlyWhatWasRead() throws IOException {
        RecordingSink sink = new RecordingSink();
        Buffer network = new Buffer().writeUtf8(BODY);
        TeeResponseBody tee = new TeeResponseBody(body(new OneChunkAtATime(network, 8)), sink, null);

        InputStream in = tee.byteStream();
        byte[] first = new byte[5];
        assertThat(in.read(first)).isEqualTo(5);
        tee.close();

        assertThat(sink.bytes.toString(StandardCharsets.UTF_8)).isEqualTo(BODY.substring(0, 8));
        assertThat(sink.ends).containsExactly("cancel");
    }

    @Test
    void aReadFailureFailsTheCallAndReachesTheProgram() {
        RecordingSink sink = new RecordingSink();
        Source broken = new Source() {
            @Override
            public long read(Buffer sinkBuffer, long byteCount) throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public void close() {
            }
        };
        TeeResponseBody tee = new TeeResponseBody(body(broken), sink, null);

        assertThatThrownBy(tee::string).isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(sink.ends).as("string() closes after the failure: no cancel").containsExactly("error:IOException");
    }

    private static ResponseBody body(Source network) {
        BufferedSource source = Okio.buffer(network);
        return new ResponseBody() {
            @Override
            public MediaType contentType() {
                return SSE;
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public BufferedSource source() {
                return source;
            }
        };
    }

    /** A network that delivers at most {@code chunk} bytes per read, as a socket does. */
    private record OneChunkAtATime(Buffer data, long chunk) implements Source {

        @Override
        public long read(Buffer sink, long byteCount) {
            if (data.size() == 0) {
                return -1;
            }
            long n = Math.min(Math.min(byteCount, chunk), data.size());
            sink.write(data, n);
            return n;
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public void close() {
        }
    }
}
