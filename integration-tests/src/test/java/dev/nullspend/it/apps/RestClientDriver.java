package dev.nullspend.it.apps;

import java.io.InputStream;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Spring's {@code RestClient} (6.2 and 7) on {@code ReactorClientHttpRequestFactory}: the blocking client over
 * Reactor Netty, as Spring Boot builds it when WebFlux is on the class path. Mode {@code sync} only (the call
 * blocks the caller's thread while Netty's event loop sends and reads). Read {@code whole} (the body's stream
 * read to its end) or {@code streamed} (the same, each chunk as it arrives); the status is read with
 * {@code exchange}, so a 500 reaches the program as a status, as with the other clients.
 */
public final class RestClientDriver implements ClientDriver {
    private RestClient client;

    @Override
    public int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception {
        if (!mode.equals("sync")) {
            throw new IllegalArgumentException("restclient mode: sync");
        }
        RestClient.RequestBodySpec spec = client().method(HttpMethod.valueOf(request.method())).uri(URI.create(request.url()))
                .headers(h -> request.headers().forEach(h::set));
        if (request.body() != null) {
            spec.contentType(MediaType.parseMediaType(request.contentType())).body(request.body());
        }
        return spec.exchange((sent, response) -> {
            int status = response.getStatusCode().value();
            try (InputStream in = response.getBody()) {
                switch (read) {
                    case "whole" -> body.accept(in.readAllBytes());
                    case "streamed" -> StreamReading.readChunks(in, body);
                    default -> throw new IllegalArgumentException("restclient read: whole or streamed");
                }
            }
            return status;
        });
    }

    private RestClient client() {
        if (client == null) {
            client = RestClient.builder().requestFactory(new ReactorClientHttpRequestFactory()).build();
        }
        return client;
    }

    @Override
    public void close() {
    }
}
