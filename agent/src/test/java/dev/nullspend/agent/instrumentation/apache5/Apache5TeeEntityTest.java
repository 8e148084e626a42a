package dev.nullspend.agent.instrumentation.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.BasicHttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

class Apache5TeeEntityTest {

    private static final String BODY = "data: {\"usage\":null}\n\ndata: [DONE]\n\n";

    @Test
    void entityUtilsReadsThroughTheTee() throws Exception {
        RecordingSink sink = new RecordingSink();
        Apache5TeeEntity tee = new Apache5TeeEntity(networkEntity(), sink, null);

        assertThat(EntityUtils.toString(tee)).isEqualTo(BODY);
        tee.close(); // what closing the response does

        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).as("the closes after the end do not count").isEqualTo("complete");
    }

    @Test
    void streamReadLineByLineIsTeedAsRead() throws IOException {
        RecordingSink sink = new RecordingSink();

        try (InputStream in = new Apache5TeeEntity(networkEntity(), sink, null).getContent()) {
            byte[] first = new byte[22];
            assertThat(in.readNBytes(first, 0, first.length)).isEqualTo(22);
            assertThat(sink.text()).isEqualTo(BODY.substring(0, 22));
            in.transferTo(OutputStream.nullOutputStream());
        }

        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void writeToIsTeedToo() throws IOException {
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new Apache5TeeEntity(networkEntity(), sink, null).writeTo(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void closingOrConsumingAnUnreadBodyCancels() throws IOException {
        RecordingSink closed = new RecordingSink();
        RecordingSink consumed = new RecordingSink();

        new Apache5TeeEntity(networkEntity(), closed, null).close();
        EntityUtils.consume(new Apache5TeeEntity(networkEntity(), consumed, null));

        assertThat(closed.bytes()).isEmpty();
        assertThat(closed.end()).isEqualTo("cancel");
        assertThat(consumed.end()).isEqualTo("cancel");
    }

    @Test
    void describesTheWrappedBodyButIsNeverRepeatable() throws IOException {
        try (StringEntity wrapped = new StringEntity(BODY, ContentType.TEXT_EVENT_STREAM, "identity", true);
             Apache5TeeEntity tee = new Apache5TeeEntity(wrapped, new RecordingSink(), null)) {
            assertThat(tee.getContentType()).isEqualTo(ContentType.TEXT_EVENT_STREAM.toString());
            assertThat(tee.getContentEncoding()).isEqualTo("identity");
            assertThat(tee.getContentLength()).isEqualTo(BODY.length());
            assertThat(tee.isChunked()).isTrue();
            assertThat(tee.isStreaming()).isFalse();
            assertThat(wrapped.isRepeatable()).isTrue();
            assertThat(tee.isRepeatable()).isFalse();
        }
    }

    /** A response entity as the client builds it: one stream, not repeatable. */
    private static BasicHttpEntity networkEntity() {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        return new BasicHttpEntity(new ByteArrayInputStream(bytes), bytes.length, ContentType.TEXT_EVENT_STREAM);
    }
}
