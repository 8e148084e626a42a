package dev.nullspend.it.apps;

import static dev.nullspend.it.apps.ApacheHttpClientApp.printStatus;
import static dev.nullspend.it.apps.ApacheHttpClientApp.printWhole;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.io.CloseMode;

/** Apache HttpClient 5.x async, as programs use it; each call waits for its future. */
final class Hc5AsyncClient implements ApacheHttpClientApp.Client {
    private static final String AUTHORIZATION = "Bearer sk-test-not-a-real-key";

    private final Map<String, CloseableHttpAsyncClient> clients = new HashMap<>();

    @Override
    public void call(ApacheHttpClientApp.Call call) throws InterruptedException, ExecutionException {
        CloseableHttpAsyncClient client = clients.computeIfAbsent(call.build(), Hc5AsyncClient::start);
        ContentType type = call.body() == null ? null : ContentType.create(call.contentType(), StandardCharsets.UTF_8);
        switch (call.handler()) {
            case "simple" -> {
                SimpleRequestBuilder builder = SimpleRequestBuilder.create(call.method()).setUri(call.url());
                if (call.body() != null) {
                    builder.setBody(call.body(), type).addHeader("Authorization", AUTHORIZATION);
                }
                SimpleHttpRequest request = builder.build();
                SimpleHttpResponse response = client.execute(request, null).get();
                printStatus(response.getCode());
                printWhole(response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes());
            }
            case "chars" -> {
                BasicHttpRequest request = new BasicHttpRequest(call.method(), URI.create(call.url()));
                StringAsyncEntityProducer body = null;
                if (call.body() != null) {
                    request.addHeader("Authorization", AUTHORIZATION);
                    body = new StringAsyncEntityProducer(new String(call.body(), StandardCharsets.UTF_8), type);
                }
                client.execute(new BasicRequestProducer(request, body), new CharsConsumer(), null).get().printSummary();
            }
            case "bin" -> {
                AsyncRequestBuilder builder = AsyncRequestBuilder.create(call.method()).setUri(call.url());
                if (call.body() != null) {
                    builder.setEntity(call.body(), type).addHeader("Authorization", AUTHORIZATION);
                }
                AsyncRequestProducer producer = builder.build();
                client.execute(producer, new BinConsumer(), null).get().printSummary();
            }
            default -> throw new IllegalArgumentException("hc5-async handler must be simple, chars or bin");
        }
    }

    private static CloseableHttpAsyncClient start(String build) {
        CloseableHttpAsyncClient client = switch (build) {
            case "default" -> HttpAsyncClients.createDefault();
            case "minimal" -> HttpAsyncClients.createMinimal();
            default -> throw new IllegalArgumentException("hc5-async build must be default or minimal");
        };
        client.start();
        return client;
    }

    @Override
    public void close() {
        for (CloseableHttpAsyncClient client : clients.values()) {
            client.close(CloseMode.GRACEFUL);
        }
    }

    /** The program's own text consumer: digests the decoded text (as UTF-8) chunk by chunk, as it arrives. */
    private static final class CharsConsumer extends AbstractCharResponseConsumer<ReceivedBytes> {
        private final ReceivedBytes received = new ReceivedBytes();

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            printStatus(response.getCode());
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(CharBuffer src, boolean endOfStream) {
            received.accept(src.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        protected ReceivedBytes buildResult() {
            return received;
        }

        @Override
        public void releaseResources() {
        }
    }

    /** The program's own binary consumer: digests each buffer as it arrives. */
    private static final class BinConsumer extends AbstractBinResponseConsumer<ReceivedBytes> {
        private final ReceivedBytes received = new ReceivedBytes();

        @Override
        protected void start(HttpResponse response, ContentType contentType) {
            printStatus(response.getCode());
        }

        @Override
        protected int capacityIncrement() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            received.accept(bytes);
        }

        @Override
        protected ReceivedBytes buildResult() {
            return received;
        }

        @Override
        public void releaseResources() {
        }
    }
}
