package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** How a {@link ProviderRoute} answers: a whole body, a stream flushed part by part, or one cut on purpose. */
final class Reply {

    private final FakeProviderServer server;
    private final HttpExchange exchange;

    Reply(FakeProviderServer server, HttpExchange exchange) {
        this.server = server;
        this.exchange = exchange;
    }

    void header(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    /** Status 200 and {@code body} with its length; in {@code truncated}, half of it and a dropped connection. */
    void body(String contentType, byte[] body, Scenario scenario) throws IOException {
        header("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        if (scenario == Scenario.TRUNCATED) {
            FakeProviderServer.writeThenAbort(exchange.getResponseBody(), body);
        } else {
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * Status 200, chunked, each part written and flushed on its own with {@code delayMillis} between two;
     * in {@code truncated}, only the first {@code partsBeforeCut} parts, then a dropped connection.
     */
    void stream(String contentType, List<byte[]> parts, long delayMillis, Scenario scenario, int partsBeforeCut)
            throws IOException {
        header("Content-Type", contentType);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (scenario != Scenario.TRUNCATED) {
            server.writeParts(out, parts, delayMillis, false);
            return;
        }
        server.writeParts(out, parts.subList(0, partsBeforeCut), delayMillis, false);
        throw new IOException("truncated scenario: connection dropped on purpose after " + partsBeforeCut + " parts");
    }

    void error(int status, byte[] body) throws IOException {
        FakeProviderServer.sendFixed(exchange, status, "application/json", body);
    }
}
