package dev.nullspend.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** {@link ClientCallBenchmark} through Reactor Netty's {@code HttpClient}, each response aggregated and blocked on. */
public class ReactorNettyCallBenchmark extends ClientCallBenchmark {
    private final HttpClient client = HttpClient.create();
    private final HttpClient jsonClient = client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));

    @Override
    protected <T> T execute(String url, String json, Content<T> content) throws IOException {
        Mono<InputStream> body = json == null
                ? client.get().uri(url).responseContent().aggregate().asInputStream()
                : jsonClient.post().uri(url).send(ByteBufFlux.fromString(Mono.just(json))).responseContent().aggregate()
                        .asInputStream();
        try (InputStream in = body.block()) {
            return content.read(in);
        }
    }

    @Override
    protected Closeable client() {
        return () -> { }; // the shared connection pool and event loops are daemon threads
    }
}
