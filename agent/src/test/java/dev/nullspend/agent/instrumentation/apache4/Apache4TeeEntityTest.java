package dev.nullspend.agent.instrumentation.apache4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.BasicHttpEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.junit.jupiter.api.Test;

/** What only HttpClient 4's tee entity does; the reads through the tee are in {@code EntityTeeTest}. */
class Apache4TeeEntityTest {

    private static final String BODY = "{\"usage\":{\"prompt_tokens\":3}}";

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedConsumeContentCancels() throws IOException {
        RecordingSink sink = new RecordingSink();
        BasicHttpEntity network = new BasicHttpEntity();
        network.setContent(new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));

        new Apache4TeeEntity(network, sink, null).consumeContent();

        assertThat(sink.bytes()).isEmpty();
        assertThat(sink.end()).isEqualTo("cancel");
    }

    @Test
    void describesTheWrappedBodyButIsNeverRepeatable() {
        StringEntity wrapped = new StringEntity(BODY, ContentType.APPLICATION_JSON);
        wrapped.setContentEncoding("identity");
        wrapped.setChunked(true);

        Apache4TeeEntity tee = new Apache4TeeEntity(wrapped, new RecordingSink(), null);

        assertThat(tee.getContentType().getValue()).isEqualTo("application/json; charset=UTF-8");
        assertThat(tee.getContentEncoding().getValue()).isEqualTo("identity");
        assertThat(tee.getContentLength()).isEqualTo(BODY.length());
        assertThat(tee.isChunked()).isTrue();
        assertThat(tee.isStreaming()).isFalse();
        assertThat(wrapped.isRepeatable()).isTrue();
        assertThat(tee.isRepeatable()).isFalse();
    }
}
