package dev.nullspend.agent.instrumentation.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.BasicHttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

/** What only HttpClient 5's tee entity does; the reads through the tee are in {@code EntityTeeTest}. */
class Apache5TeeEntityTest {

    private static final String BODY = "data: {\"usage\":null}\n\ndata: [DONE]\n\n";

    @Test
    void closingCancelsOnlyAnUnreadBody() throws Exception {
        RecordingSink unread = new RecordingSink();
        RecordingSink read = new RecordingSink();

        new Apache5TeeEntity(networkEntity(), unread, null).close();
        Apache5TeeEntity tee = new Apache5TeeEntity(networkEntity(), read, null);
        assertThat(EntityUtils.toString(tee)).isEqualTo(BODY);
        tee.close(); // what closing the response does

        assertThat(unread.bytes()).isEmpty();
        assertThat(unread.end()).isEqualTo("cancel");
        assertThat(read.text()).isEqualTo(BODY);
        assertThat(read.end()).as("the closes after the end do not count").isEqualTo("complete");
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
