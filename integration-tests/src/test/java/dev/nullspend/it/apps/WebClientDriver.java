package dev.nullspend.it.apps;

import java.nio.charset.StandardCharsets;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.codec.ByteArrayEncoder;
import org.springframework.core.codec.DataBufferDecoder;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageReader;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Spring's {@code WebClient} on its default connector ({@code ReactorClientHttpConnector}: Reactor Netty with
 * {@code compress(true)}). Mode {@code sync}: {@code block()}; {@code async}: {@code subscribe} with the
 * program's callbacks (run on Netty's event loop). Read {@code whole} ({@code bodyToMono(byte[].class)}), {@code string} ({@code bodyToMono(String.class)}),
 * {@code streamed} ({@code bodyToFlux(DataBuffer.class)}, each buffer as it arrives), {@code events}
 * ({@code bodyToFlux(ServerSentEvent<String>)}: each event's data, plus {@code \n}, as the program gets it) and
 * {@code first-events} (the same, cancelled by {@code take(1)}). The status is read with
 * {@code exchangeToMono}, so a 500 reaches the program as a status, as with the other clients. Only the
 * byte, string and SSE codecs are registered (the bodies are bytes and text).
 *
 * <p>Not in {@code DenialKindsIT}: Spring needs a newer Jackson than the one that program's other clients
 * share its class path with, so the tag budget, session and velocity denials are not run through this
 * client; its contract test runs the local budget, customer budget, loop and mandate denials and every
 * denial of the NullSpend proxy.
 */
public final class WebClientDriver implements ClientDriver {
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
    };
    private WebClient client;

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        WebClient.RequestBodySpec spec = client().method(org.springframework.http.HttpMethod.valueOf(request.method()))
                .uri(request.url()).headers(h -> request.headers().forEach(h::set));
        WebClient.RequestHeadersSpec<?> ready = request.body() == null ? spec
                : spec.header("Content-Type", request.contentType()).bodyValue(request.body());
        Mono<Integer> call = ready.exchangeToMono(response -> read(response, read, body));
        return ReactorCalls.await(call, mode, "webclient");
    }

    private static Mono<Integer> read(ClientResponse response, String read, ReceivedBytes body) {
        Mono<Integer> status = Mono.fromSupplier(() -> response.statusCode().value());
        return switch (read) {
            case "whole" -> response.bodyToMono(byte[].class).doOnNext(body::accept).then(status);
            case "string" -> response.bodyToMono(String.class)
                    .doOnNext(text -> body.accept(text.getBytes(StandardCharsets.UTF_8))).then(status);
            case "streamed" -> response.bodyToFlux(DataBuffer.class).doOnNext(buffer -> {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                DataBufferUtils.release(buffer);
                body.accept(bytes);
            }).then(status);
            case "events" -> events(response, body, Long.MAX_VALUE).then(status);
            case "first-events" -> events(response, body, 1).then(status);
            default -> throw new IllegalArgumentException("webclient read: whole, string, streamed, events or first-events");
        };
    }

    private static Mono<Void> events(ClientResponse response, ReceivedBytes body, long take) {
        return response.bodyToFlux(EVENTS).take(take)
                .doOnNext(event -> body.accept((event.data() + "\n").getBytes(StandardCharsets.UTF_8))).then();
    }

    private WebClient client() {
        if (client == null) {
            ExchangeStrategies codecs = ExchangeStrategies.builder().codecs(c -> {
                c.registerDefaults(false);
                c.customCodecs().register(new ByteArrayEncoder());
                c.customCodecs().register(new ByteArrayDecoder());
                c.customCodecs().register(new DataBufferDecoder());
                c.customCodecs().register(StringDecoder.allMimeTypes());
                c.customCodecs().register(new ServerSentEventHttpMessageReader(StringDecoder.textPlainOnly()));
            }).build();
            client = WebClient.builder().clientConnector(new ReactorClientHttpConnector()).exchangeStrategies(codecs).build();
        }
        return client;
    }

    @Override
    public void close() {
    }
}
