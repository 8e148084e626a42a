package dev.nullspend.it.apps;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's {@code HttpClient} as programs use it raw. Mode {@code sync}: {@code block()} on the
 * caller's thread (the request is written and read on Netty's event loop); {@code async}: {@code subscribe}
 * with the program's callbacks, which run on the event loop (the failure is what {@code onError} got). Read
 * {@code whole} ({@code responseSingle}: the body aggregated), {@code string} (the same, {@code asString()}), {@code aggregate} ({@code responseContent().aggregate()},
 * the status from {@code doOnResponse}), {@code streamed} ({@code response((r, body) -> …)}, each buffer as it
 * arrives) and {@code first} ({@code responseContent()} cancelled by {@code take(1)} after its first buffer).
 * Option {@code build=plain|compress|h2c}: {@code HttpClient.create()}, with {@code compress(true)} (Netty's
 * decompressor in the pipeline, as Spring's connector sets it), or with {@code protocol(H2C)} (HTTP/2 with prior
 * knowledge: each call a stream channel of one connection).
 */
public final class ReactorNettyDriver implements ClientDriver {
    private final ConnectionProvider pool = ConnectionProvider.create("driver", 4);
    private HttpClient plain;
    private HttpClient compress;
    private HttpClient h2c;

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        AtomicInteger status = new AtomicInteger();
        HttpClient client = client(request.option("build", "plain")).doOnResponse((r, c) -> status.set(r.status().code()))
                .headers(h -> {
                    request.headers().forEach(h::set);
                    if (request.contentType() != null) {
                        h.set("Content-Type", request.contentType());
                    }
                });
        HttpClient.ResponseReceiver<?> receiver = request.body() == null ? client.get().uri(request.url())
                : client.post().uri(request.url()).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())));
        Mono<Integer> call = switch (read) {
            case "whole" -> receiver.responseSingle((r, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                    .map(bytes -> {
                        body.accept(bytes);
                        return r.status().code();
                    }));
            case "string" -> receiver.responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                    .map(text -> {
                        body.accept(text.getBytes(StandardCharsets.UTF_8));
                        return r.status().code();
                    }));
            case "aggregate" -> receiver.responseContent().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                    .map(bytes -> {
                        body.accept(bytes);
                        return status.get();
                    });
            case "streamed" -> receiver.response((r, content) -> content.asByteArray().doOnNext(body::accept)
                    .then(Mono.fromSupplier(() -> r.status().code()))).single();
            case "first" -> receiver.responseContent().asByteArray().take(1).doOnNext(body::accept).then(
                    Mono.fromSupplier(status::get));
            default -> throw new IllegalArgumentException("reactor-netty read: whole, string, aggregate, streamed or first");
        };
        return ReactorCalls.await(call, mode, "reactor-netty");
    }

    private HttpClient client(String build) {
        return switch (build) {
            case "plain" -> plain != null ? plain : (plain = HttpClient.create(pool));
            case "compress" -> compress != null ? compress : (compress = HttpClient.create(pool).compress(true));
            case "h2c" -> h2c != null ? h2c : (h2c = HttpClient.create(pool).protocol(HttpProtocol.H2C));
            default -> throw new IllegalArgumentException("reactor-netty build: plain, compress or h2c");
        };
    }

    @Override
    public void close() {
        pool.disposeLater().block();
    }
}
