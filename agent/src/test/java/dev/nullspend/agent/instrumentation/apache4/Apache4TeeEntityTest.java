package dev.nullspend.agent.instrumentation.apache4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.RecordingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.BasicHttpEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.Test;

class Apache4TeeEntityTest {

    private static final String BODY = "{\"usage\":{\"prompt_tokens\":3}}";

    @Test
    void entityUtilsReadsThroughTheTee() throws IOException {
        RecordingSink sink = new RecordingSink();
        Apache4TeeEntity tee = new Apache4TeeEntity(networkEntity(), sink, null);

        assertThat(EntityUtils.toString(tee)).isEqualTo(BODY);
        EntityUtils.consume(tee); // what execute(…, ResponseHandler) does after the handler

        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void writeToIsTeedToo() throws IOException {
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new Apache4TeeEntity(networkEntity(), sink, null).writeTo(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat(sink.text()).isEqualTo(BODY);
        assertThat(sink.end()).isEqualTo("complete");
    }

    @Test
    void consumingAnUnreadBodyCancels() throws IOException {
        RecordingSink consumed = new RecordingSink();
        RecordingSink legacy = new RecordingSink();

        EntityUtils.consume(new Apache4TeeEntity(networkEntity(), consumed, null));
        consumeContent(new Apache4TeeEntity(networkEntity(), legacy, null));

        assertThat(consumed.bytes()).isEmpty();
        assertThat(consumed.end()).isEqualTo("cancel");
        assertThat(legacy.end()).isEqualTo("cancel");
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

    @SuppressWarnings("deprecation")
    private static void consumeContent(Apache4TeeEntity entity) throws IOException {
        entity.consumeContent();
    }

    /** A response entity as the client builds it: one stream, not repeatable. */
    private static BasicHttpEntity networkEntity() {
        BasicHttpEntity entity = new BasicHttpEntity();
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        entity.setContent(new ByteArrayInputStream(bytes));
        entity.setContentLength(bytes.length);
        entity.setContentType("application/json");
        return entity;
    }
}
