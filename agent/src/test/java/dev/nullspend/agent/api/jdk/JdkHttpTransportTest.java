package dev.nullspend.agent.api.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nullspend.agent.api.HttpTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpTransportTest {
    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();
    private final CountDownLatch hangingEnded = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Test") + " "
                    + new String(body, StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.getResponseHeaders().add("Retry-After", "7");
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[JdkHttpTransport.MAX_RESPONSE_BYTES + 1]);
            } catch (IOException ignored) {
                // the client hangs up
            }
        });
        server.createContext("/hang", exchange -> {
            try {
                exchange.sendResponseHeaders(200, 0);
                for (int i = 0; i < 200; i++) { // a trickle that never ends in time: fails once the client aborted
                    exchange.getResponseBody().write(' ');
                    exchange.getResponseBody().flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                hangingEnded.countDown();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsMethodHeadersAndBodyAndReturnsStatusHeadersAndBody() throws Exception {
        JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5));

        HttpTransport.Response r = transport.send(new HttpTransport.Request("POST", uri("/echo"), Map.of("X-Test", "yes"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))).get(5, TimeUnit.SECONDS);

        assertThat(received.get()).isEqualTo("POST yes {\"a\":1}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("RETRY-AFTER")).as("first value, any case").isEqualTo("2");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aBodyOverTheLimitFailsTheExchange() {
        JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5));

        assertThatThrownBy(() -> transport.send(new HttpTransport.Request("GET", uri("/big"), Map.of(), null,
                Duration.ofSeconds(5))).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("response body larger than 1048576 bytes");
    }

    @Test
    void cancellingTheFutureAbortsTheExchange() throws Exception {
        JdkHttpTransport transport = new JdkHttpTransport(Duration.ofSeconds(5));
        var future = transport.send(new HttpTransport.Request("GET", uri("/hang"), Map.of(), null, Duration.ofSeconds(30)));
        Thread.sleep(300);

        future.cancel(true);

        assertThat(hangingEnded.await(5, TimeUnit.SECONDS)).as("the server saw the connection go").isTrue();
    }
}
