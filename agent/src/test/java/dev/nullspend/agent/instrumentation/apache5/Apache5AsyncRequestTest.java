package dev.nullspend.agent.instrumentation.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.junit.jupiter.api.Test;

class Apache5AsyncRequestTest {

    private static final String JSON = "{\"model\":\"gpt-4o\",\"messages\":[]}";
    private static final URI CHAT = URI.create("http://127.0.0.1:8080/v1/chat/completions?x=1");

    @Test
    void readsASimpleHttpRequest() throws Exception {
        SimpleHttpRequest request = SimpleRequestBuilder.post(CHAT).setBody(JSON, ContentType.APPLICATION_JSON)
                .addHeader("Authorization", "Bearer sk-test").build();

        Exchange exchange = exchange(null, SimpleRequestProducer.create(request));

        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.uri()).isEqualTo(CHAT);
        assertThat(exchange.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(exchange.header("content-type")).as("from the body").isEqualTo("application/json; charset=UTF-8");
        assertThat(exchange.body()).containsExactly(JSON.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsARequestBuiltWithAsyncRequestBuilder() throws Exception {
        AsyncRequestProducer producer = AsyncRequestBuilder.post(CHAT).setEntity(JSON, ContentType.APPLICATION_JSON).build();

        Exchange exchange = exchange(null, producer);

        assertThat(exchange.uri()).isEqualTo(CHAT);
        assertThat(exchange.body()).containsExactly(JSON.getBytes(StandardCharsets.UTF_8));
        assertThat(exchange.bodyLength()).isEqualTo(JSON.length());
    }

    @Test
    void theTargetHostIsWhereTheRequestGoes() throws Exception {
        BasicRequestProducer producer = new BasicRequestProducer(new BasicHttpRequest("GET", "/v1/models"), null);

        Exchange exchange = exchange(new HttpHost("https", "api.openai.com", 443), producer);

        assertThat(exchange.uri()).isEqualTo(URI.create("https://api.openai.com:443/v1/models"));
        assertThat(exchange.body()).isEmpty();
    }

    @Test
    void otherProducersAreNotAsked() throws Exception {
        AsyncRequestProducer custom = new BasicRequestProducer(new BasicHttpRequest("POST", CHAT), null) {
            @Override
            public void sendRequest(org.apache.hc.core5.http.nio.RequestChannel channel,
                                    org.apache.hc.core5.http.protocol.HttpContext context) {
                throw new AssertionError("asked before sending");
            }
        };

        assertThat(exchange(null, custom)).isNull();
    }

    @Test
    void uriOfAnIpv6AuthorityWithoutPort() {
        BasicHttpRequest request = new BasicHttpRequest("GET", URI.create("http://[::1]/v1/x"));

        assertThat(Apache5Requests.uri(null, request)).isEqualTo(URI.create("http://[::1]/v1/x"));
    }

    /** The exchange for what {@code producer} will send, or null when it cannot be read. */
    private static Exchange exchange(HttpHost target, AsyncRequestProducer producer) throws Exception {
        Apache5AsyncRequest captured = Apache5AsyncRequest.capture(producer, target);
        return captured == null ? null : captured.exchange(target);
    }
}
