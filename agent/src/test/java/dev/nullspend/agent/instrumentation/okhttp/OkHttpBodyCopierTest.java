package dev.nullspend.agent.instrumentation.okhttp;

import dev.nullspend.agent.exchange.Exchange;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("deprecation") // RequestBody.create(MediaType, …): the form OkHttp 3 has
class OkHttpBodyCopierTest {
    private static final MediaType JSON = MediaType.parse("application/json");

    @Test
    void copiesARepeatableBodyAndLeavesItForTheRealSend() throws IOException {
        byte[] json = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        RequestBody body = RequestBody.create(JSON, json);

        assertThat(new OkHttpBodyCopier(body).read()).isEqualTo(json);
        okio.Buffer sent = new okio.Buffer();
        body.writeTo(sent);
        assertThat(sent.readByteArray()).isEqualTo(json);
    }

    @Test
    void keepsOnlyTheFirstMaxBodyCopyBytesOfALargeBody() {
        byte[] large = new byte[Exchange.MAX_BODY_COPY + 100_000];
        Arrays.fill(large, (byte) 'x');
        large[Exchange.MAX_BODY_COPY - 1] = 'y';

        byte[] copy = new OkHttpBodyCopier(RequestBody.create(JSON, large)).read();

        assertThat(copy).hasSize(Exchange.MAX_BODY_COPY);
        assertThat(copy[Exchange.MAX_BODY_COPY - 1]).isEqualTo((byte) 'y');
    }

    @Test
    void neverWritesAOneShotOrDuplexBodyTwice() {
        CountingBody oneShot = new CountingBody(true, false);
        CountingBody duplex = new CountingBody(false, true);

        assertThat(new OkHttpBodyCopier(oneShot).read()).isNull();
        assertThat(new OkHttpBodyCopier(duplex).read()).isNull();
        assertThat(oneShot.writes + duplex.writes).isZero();
    }

    @Test
    void anOkHttpBeforeIsOneShotIsNamedAsTheReasonTheBodyIsUnknown() {
        // OkHttp 3.0-3.13 has no RequestBody.isOneShot: the call fails to link, as this one does.
        RequestBody beforeIsOneShot = new JsonBody() {
            @Override
            public boolean isOneShot() {
                throw new NoSuchMethodError("okhttp3.RequestBody.isOneShot()Z");
            }

            @Override
            public void writeTo(BufferedSink sink) {
                throw new AssertionError("never written by the copier");
            }
        };
        OkHttpBodyCopier old = new OkHttpBodyCopier(beforeIsOneShot);
        assertThat(old.read()).isNull();
        assertThat(old.unreadableReason())
                .isEqualTo("OkHttp older than 3.14, which cannot say whether a body may be written twice");

        OkHttpBodyCopier oneShot = new OkHttpBodyCopier(new CountingBody(true, false));
        assertThat(oneShot.read()).isNull();
        assertThat(oneShot.unreadableReason()).isEqualTo("a streamed or one-shot body");
    }

    @Test
    void noBodyOrAFailingBodyIsUnknown() {
        RequestBody failing = new JsonBody() {
            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                throw new IOException("disk gone");
            }
        };

        assertThat(new OkHttpBodyCopier(null).read()).isNull();
        assertThat(new OkHttpBodyCopier(failing).read()).isNull();
    }

    /** A JSON request body; what it writes is each test's own. */
    private abstract static class JsonBody extends RequestBody {
        @Override
        public MediaType contentType() {
            return JSON;
        }
    }

    private static final class CountingBody extends JsonBody {
        private final boolean oneShot;
        private final boolean duplex;
        int writes;

        CountingBody(boolean oneShot, boolean duplex) {
            this.oneShot = oneShot;
            this.duplex = duplex;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            writes++;
            sink.writeUtf8("{}");
        }

        @Override
        public boolean isOneShot() {
            return oneShot;
        }

        @Override
        public boolean isDuplex() {
            return duplex;
        }
    }
}
