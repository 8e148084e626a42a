package dev.nullspend.agent.provider;

import dev.nullspend.agent.exchange.Exchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Test helpers: requests as client adapters build them. */
public final class TestExchanges {
    private TestExchanges() {
    }

    /** A POST with a UTF-8 body ({@code null}: unreadable). */
    public static Exchange post(String url, String body) {
        return exchange("POST", url, body);
    }

    public static Exchange exchange(String method, String url, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        return new Exchange(method, URI.create(url), null, bytes, bytes == null ? -1 : bytes.length);
    }

    /** A request whose body must not be read: reading it fails the test. */
    public static Exchange withUntouchableBody(String method, String url) {
        return new Exchange(method, URI.create(url), null, () -> {
            throw new AssertionError("the body of " + method + " " + url + " was read");
        }, 10);
    }

    /** POSTs of each of {@code bodies} (null: no body) to {@code url}: {@code api} recognises none of them. */
    public static void assertRecognisesNone(LlmApi api, String url, String... bodies) {
        for (String body : bodies) {
            if (api.recognize(post(url, body)) != null) {
                throw new AssertionError(api.getClass().getSimpleName() + " recognised a POST to " + url + " of " + body);
            }
        }
    }

    /** POSTs of {@code body} to each of {@code urls}: paths that are not {@code api}'s, so it recognises none of them. */
    public static void assertRecognisesNoPath(LlmApi api, String body, String... urls) {
        for (String url : urls) {
            assertRecognisesNone(api, url, body);
        }
    }
}
