package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A fake NullSpend proxy on {@code 127.0.0.1} and a random free port, JDK only: it records the
 * headers of every request and answers a chat completion ({@code 200}, with usage, as the proxy
 * forwards the provider's answer), or, under {@code /deny/{kind}/…}, the proxy's answer of that
 * {@link Denial} kind with the exact bodies and headers of docs/nullspend-api-contract.md#error-body, #denials.
 *
 * <p>A second instance serves as "any other origin": what it records shows which headers left
 * the process for a host that is not the configured proxy.
 */
public final class FakeNullSpendProxy implements AutoCloseable {

    /** What a {@code /deny/{kind}/…} request gets. */
    public enum Denial {
        BUDGET(429, true, null, "{\"error\":{\"code\":\"budget_exceeded\",\"message\":\"Budget exceeded. $0.42 remaining"
                + " (limit: $5.00, spent: $4.58) on api_key/key_123. Increase at https://nullspend.dev/app/budgets\","
                + "\"details\":{\"entity_type\":\"api_key\",\"entity_id\":\"key_123\",\"budget_limit_microdollars\":5000000,"
                + "\"budget_spend_microdollars\":4580000,\"estimated_cost_microdollars\":600000},"
                + "\"upgrade_url\":\"https://nullspend.dev/app/billing\",\"recovery\":{\"retryable\":false,"
                + "\"owner_action_required\":true,\"retry_after_seconds\":null,\"docs\":null}}}"),
        CUSTOMER_BUDGET(429, true, null, "{\"error\":{\"code\":\"customer_budget_exceeded\",\"message\":\"Customer budget"
                + " exceeded for acme.\",\"details\":{\"customer_id\":\"acme\",\"budget_limit_microdollars\":1000000,"
                + "\"budget_spend_microdollars\":1000001,\"estimated_cost_microdollars\":2500},\"recovery\":{\"retryable\":false,"
                + "\"owner_action_required\":true,\"retry_after_seconds\":null,\"docs\":null}}}"),
        TAG_BUDGET(429, true, null, "{\"error\":{\"code\":\"tag_budget_exceeded\",\"message\":\"Tag budget exceeded for"
                + " team=search.\",\"details\":{\"tag_key\":\"team\",\"tag_value\":\"search\",\"budget_limit_microdollars\":2000000,"
                + "\"budget_spend_microdollars\":1999000},\"recovery\":{\"retryable\":false,\"owner_action_required\":true,"
                + "\"retry_after_seconds\":null,\"docs\":null}}}"),
        VELOCITY(429, true, "17", "{\"error\":{\"code\":\"velocity_exceeded\",\"message\":\"Spend velocity exceeded.\","
                + "\"details\":{\"limitMicrodollars\":100000,\"windowSeconds\":60,\"currentMicrodollars\":123456},"
                + "\"recovery\":{\"retryable\":true,\"owner_action_required\":false,\"retry_after_seconds\":17,\"docs\":null}}}"),
        SESSION(429, true, null, "{\"error\":{\"code\":\"session_limit_exceeded\",\"message\":\"Session limit exceeded.\","
                + "\"details\":{\"session_id\":\"sess-1\",\"session_spend_microdollars\":750000,"
                + "\"session_limit_microdollars\":500000},\"recovery\":{\"retryable\":false,\"owner_action_required\":false,"
                + "\"retry_after_seconds\":null,\"docs\":null}}}"),
        LOOP(429, true, "5", "{\"error\":{\"code\":\"loop_detected\",\"message\":\"Loop detected: gpt-4o called 50 times"
                + " with identical content in 60s.\",\"details\":{\"type\":\"per_key\",\"model\":\"gpt-4o\",\"provider\":\"openai\","
                + "\"callCount\":50,\"windowSeconds\":60,\"maxCalls\":50},\"recovery\":{\"retryable\":true,"
                + "\"owner_action_required\":false,\"retry_after_seconds\":5,\"docs\":null}}}"),
        MANDATE(403, false, null, "{\"error\":{\"code\":\"mandate_violation\",\"message\":\"Model gpt-4o is not allowed"
                + " for this key.\",\"details\":{\"mandate\":\"allowed_models\",\"requested\":\"gpt-4o\","
                + "\"allowed\":[\"gpt-4o-mini\",\"claude-haiku-4-5\"]}}}"),
        /** The proxy's own rate limit: a 429 without the denied header, for the program. */
        RATE_LIMITED(429, false, "60", "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Too many requests.\","
                + "\"details\":{}}}"),
        /** An org plan cap: no exception in the contract, the program gets the 429. */
        PLAN_LIMIT(429, true, null, "{\"error\":{\"code\":\"plan_limit_exceeded\",\"message\":\"Plan limit reached.\","
                + "\"details\":{\"current_count\":1000,\"block_at\":1000,\"tier\":\"free\"}}}");

        public final int status;
        public final boolean deniedHeader;
        public final String retryAfter;
        public final String body;

        Denial(int status, boolean deniedHeader, String retryAfter, String body) {
            this.status = status;
            this.deniedHeader = deniedHeader;
            this.retryAfter = retryAfter;
            this.body = body;
        }

        String pathName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What a request the proxy lets through gets: a chat completion with usage, which the proxy costs. */
    public static final byte[] COMPLETION = ChatResponses.completion("gpt-4o-mini", new FakeUsage(20, 0, 5, 0));

    private final HttpServer server;
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());

    private FakeNullSpendProxy(HttpServer server) {
        this.server = server;
    }

    /** Binds 127.0.0.1 on a free port and starts serving. */
    public static FakeNullSpendProxy start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
            FakeNullSpendProxy proxy = new FakeNullSpendProxy(s);
            s.createContext("/", proxy::handle);
            s.setExecutor(Executors.newCachedThreadPool());
            s.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the value for {@code nullspend.proxy-url}. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The chat completions URL that is let through. */
    public String chatUrl() {
        return origin() + "/v1/chat/completions";
    }

    /** The chat completions URL answered with {@code denial}. */
    public String chatUrl(Denial denial) {
        return origin() + "/deny/" + denial.pathName() + "/v1/chat/completions";
    }

    /** The headers of every request so far, in order: lower-case name → first value. */
    public List<Map<String, String>> requestHeaders() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            requests.add(Collections.unmodifiableMap(headers));
            String path = exchange.getRequestURI().getPath();
            Denial denial = null;
            for (Denial d : Denial.values()) {
                if (path.startsWith("/deny/" + d.pathName() + "/")) {
                    denial = d;
                }
            }
            byte[] body = denial == null ? COMPLETION : denial.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (denial != null && denial.deniedHeader) {
                exchange.getResponseHeaders().set("X-NullSpend-Denied", "1");
            }
            if (denial != null && denial.retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", denial.retryAfter);
            }
            exchange.sendResponseHeaders(denial == null ? 200 : denial.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
