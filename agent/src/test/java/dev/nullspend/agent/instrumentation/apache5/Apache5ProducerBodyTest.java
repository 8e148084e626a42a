package dev.nullspend.agent.instrumentation.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.junit.jupiter.api.Test;

/** The copy reads an in-memory producer to the end and leaves it sending exactly the same bytes. */
class Apache5ProducerBodyTest {

    private static final String JSON = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Grüße\"}]}";

    @Test
    void copiesABytesProducerAndRewindsIt() throws IOException {
        byte[] body = JSON.getBytes(StandardCharsets.UTF_8);
        BasicAsyncEntityProducer producer = new BasicAsyncEntityProducer(body, ContentType.APPLICATION_JSON);

        assertThat(Apache5ProducerBody.of(producer).read()).containsExactly(body);
        assertThat(ProducedBytes.of(producer)).as("what the client then sends").containsExactly(body);
    }

    @Test
    void copiesAStringProducerLongerThanItsBufferAndRewindsIt() throws IOException {
        String text = JSON.repeat(200); // about 14 KB: several produce() rounds through a 4 KB buffer
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        StringAsyncEntityProducer producer = new StringAsyncEntityProducer(text, ContentType.APPLICATION_JSON);

        assertThat(Apache5ProducerBody.of(producer).read()).containsExactly(body);
        assertThat(ProducedBytes.of(producer)).containsExactly(body);
    }

    @Test
    void aBodyOverTheLimitIsCutInTheCopyButSentWhole() throws IOException {
        String text = "x".repeat(Exchange.MAX_BODY_COPY + 5000);
        StringAsyncEntityProducer producer = new StringAsyncEntityProducer(text, ContentType.TEXT_PLAIN);

        byte[] copy = Apache5ProducerBody.of(producer).read();

        assertThat(copy).hasSize(Exchange.MAX_BODY_COPY);
        assertThat(ProducedBytes.of(producer)).hasSize(text.length());
    }

    @Test
    void otherProducersAreNeverTouched() {
        AsyncEntityProducer other = AsyncEntityProducers.createBinary(channel -> {
            throw new AssertionError("produced by the copy");
        }, ContentType.APPLICATION_JSON);

        assertThat(Apache5ProducerBody.of(other).read()).isNull();
        assertThat(Apache5ProducerBody.of(null).read()).isEmpty();
    }
}
