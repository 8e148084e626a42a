package dev.nullspend.it.apps;

import dev.nullspend.it.fake.DeterministicBytes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A program that makes calls with Apache HttpClient (4.5 classic, 5.x classic, 5.x async) and reports
 * exactly what it received, so a test can compare runs with and without the agent. The arguments are
 * those of {@link JdkHttpClientApp} (calls separated by {@code --}, each {@code key=value}s), with:
 * <ul>
 *   <li>{@code client=hc4|hc5|hc5-async} (required); one client of each kind serves all its calls;</li>
 *   <li>{@code url=}, {@code chat=<model>}, {@code stream=off|usage|no-usage}, {@code post=<n>}: as
 *       {@code JdkHttpClientApp};</li>
 *   <li>{@code pad=<n>}: adds a {@code "user"} field of n characters to the chat body (a body longer
 *       than the clients' internal buffers);</li>
 *   <li>{@code body=repeatable|one-shot} (classic): the body as a repeatable entity (default) or an
 *       {@code InputStreamEntity}, which can be read only once;</li>
 *   <li>{@code build=}: how the client is built: {@code default} ({@code HttpClients.createDefault()},
 *       {@code HttpAsyncClients.createDefault()}), {@code no-compression} (classic, built with
 *       {@code disableContentCompression()}: the program then gets gzip bytes as sent), {@code minimal}
 *       ({@code createMinimal()}), {@code legacy} (4.5: the deprecated {@code DefaultHttpClient});</li>
 *   <li>{@code handler=}: how the body is taken. Classic: {@code handler} ({@code execute} with a response
 *       handler reading {@code EntityUtils.toByteArray}), {@code to-string} ({@code EntityUtils.toString}),
 *       {@code lines} ({@code getContent()} read line by line), {@code write-to}
 *       ({@code HttpEntity.writeTo}). Async: {@code simple} ({@code SimpleHttpRequest} and the built-in
 *       {@code SimpleResponseConsumer}), {@code chars} (a {@code BasicRequestProducer} over a
 *       {@code StringAsyncEntityProducer}, read by the program's own {@code AbstractCharResponseConsumer}),
 *       {@code bin} ({@code AsyncRequestBuilder}, read by its own {@code AbstractBinResponseConsumer}).</li>
 * </ul>
 * Prints, per call, {@code status=<code>}, {@code first-event} as soon as an incremental reader has seen the
 * end of the first SSE event, {@code sha256=} and {@code bytes=} of the body received ({@code lines}: each
 * line plus {@code \n}; {@code to-string}/{@code chars}: the text's UTF-8 encoding); when a call fails,
 * {@code error=<exception class>} (the cause, for an async failure) instead. Exits 0 either way.
 */
public final class ApacheHttpClientApp {

    /** One call's options. {@code body} is null for a GET. */
    record Call(String url, byte[] body, String contentType, boolean oneShotBody, String build, String handler) {

        static Call of(Map<String, String> options) {
            String url = options.get("url");
            if (url == null) {
                throw new IllegalArgumentException("url= is required");
            }
            byte[] body = null;
            String contentType = null;
            if (options.containsKey("chat")) {
                String json = CallArgs.chatBody(options.get("chat"), options.getOrDefault("stream", "off"));
                int pad = Integer.parseInt(options.getOrDefault("pad", "0"));
                if (pad > 0) {
                    json = json.substring(0, json.length() - 1) + ",\"user\":\"" + "u".repeat(pad) + "\"}";
                }
                body = json.getBytes(StandardCharsets.UTF_8);
                contentType = "application/json";
            } else if (options.containsKey("post")) {
                body = DeterministicBytes.of(Integer.parseInt(options.get("post")));
                contentType = "application/octet-stream";
            }
            boolean oneShot = switch (options.getOrDefault("body", "repeatable")) {
                case "repeatable" -> false;
                case "one-shot" -> true;
                default -> throw new IllegalArgumentException("body must be repeatable or one-shot");
            };
            return new Call(url, body, contentType, oneShot, options.getOrDefault("build", "default"),
                    options.getOrDefault("handler", "").toLowerCase(Locale.ROOT));
        }

        String method() {
            return body == null ? "GET" : "POST";
        }
    }

    /** The calls of one client kind. */
    interface Client extends AutoCloseable {
        void call(Call call) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Client> clients = new LinkedHashMap<>();
        try {
            for (Map<String, String> options : CallArgs.parse(args)) {
                Client client = clients.computeIfAbsent(options.getOrDefault("client", ""), ApacheHttpClientApp::open);
                try {
                    client.call(Call.of(options));
                } catch (ExecutionException e) {
                    System.out.println("error=" + e.getCause().getClass().getName());
                } catch (Exception e) {
                    System.out.println("error=" + e.getClass().getName());
                }
            }
        } finally {
            for (Client client : clients.values()) {
                client.close();
            }
        }
    }

    private static Client open(String kind) {
        return switch (kind) {
            case "hc4" -> new Hc4Client();
            case "hc5" -> new Hc5Client();
            case "hc5-async" -> new Hc5AsyncClient();
            default -> throw new IllegalArgumentException("client must be hc4, hc5 or hc5-async");
        };
    }

    static void printStatus(int status) {
        System.out.println("status=" + status);
    }

    static void printWhole(byte[] body) {
        ReceivedBytes received = new ReceivedBytes();
        received.accept(body);
        received.printSummary();
    }
}
