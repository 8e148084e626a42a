package dev.nullspend.it.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.api.Attribution;
import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;
import dev.nullspend.it.fake.DeterministicBytes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one program of the client contract tests: makes calls through {@link ClientDriver}s and reports
 * exactly what it got back, so a test can compare runs with and without the agent. The arguments are
 * calls separated by {@code --}, each {@code key=value}s:
 * <ul>
 *   <li>{@code driver=} the simple name of a {@link ClientDriver} class of this package (required); one
 *       instance serves all calls that name it;</li>
 *   <li>{@code mode=}, {@code read=}: the driver's way of calling and of taking the body (default
 *       {@code sync}, {@code whole});</li>
 *   <li>{@code url=…} (required); {@code chat=<model>}: POST an OpenAI chat completion request, with
 *       {@code stream=off|usage|no-usage} (see {@link CallArgs#chatBody(String, String)}), and optionally
 *       {@code max-tokens=}, {@code user=} or {@code pad=<n>} (a {@code user} of n characters);
 *       {@code json=<body>}: POST this JSON; {@code post=<n>}: POST n bytes of {@code DeterministicBytes};
 *       with none of these, GET;</li>
 *   <li>{@code header=Name:Value}: a header the program sets itself;</li>
 *   <li>{@code session=}, {@code customer=}, {@code trace=}, {@code tags=k:v;k:v}: a
 *       {@code NullSpend.attribute()} scope around the call (the program's own copy of {@code agent-api},
 *       so these run only under the agent);</li>
 *   <li>{@code action=<agent id>}: the call is the task of a {@code NullSpend.proposeAndWait} ({@code http_post}),
 *       made once the action is approved;</li>
 *   <li>anything else is the driver's own option (see each driver).</li>
 * </ul>
 * A step {@code await=<file>} instead of a call prints {@code awaiting=<pid>} and waits until the file
 * exists (at most two minutes): the test does something to the running program (attaches the agent),
 * then creates the file; the drivers, with the clients they built, serve the calls after it too.
 * Per call it prints {@code result={json}} with {@code driver}, {@code mode} and either {@code status},
 * {@code sha256} and {@code bytes} of the body as the program took it, or {@code error} (the class of what
 * the program got), {@code cause} (its cause's class) and {@code denial} (the {@link DenialFigures} of the
 * first {@link NullSpendException} in the cause chain). A streamed read prints {@code first-event} as soon
 * as the program has the first SSE event. Exits 0: the exit code is for the agent's behaviour.
 */
public final class ClientApp {
    private static final Duration ACTION_POLL = Duration.ofMillis(50);
    private static final Duration ACTION_WAIT = Duration.ofSeconds(120);

    private final Map<String, ClientDriver> drivers = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        ClientApp app = new ClientApp();
        try {
            for (Map<String, String> call : CallArgs.parse(args)) {
                if (call.containsKey("await")) {
                    awaitFile(Path.of(call.get("await")));
                    continue;
                }
                System.out.println("result=" + app.call(call));
            }
        } finally {
            for (ClientDriver driver : app.drivers.values()) {
                driver.close();
            }
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        System.out.println("awaiting=" + ProcessHandle.current().pid());
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(file)) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("no " + file + " after two minutes");
            }
            Thread.sleep(20);
        }
    }

    private ObjectNode call(Map<String, String> call) {
        String name = required(call, "driver");
        String mode = call.getOrDefault("mode", "sync");
        ObjectNode result = DenialFigures.JSON.createObjectNode().put("driver", name).put("mode", mode);
        ReceivedBytes body = new ReceivedBytes();
        try {
            ClientDriver driver = drivers.computeIfAbsent(name, ClientApp::open);
            int status;
            if (scoped(call)) {
                try (Attribution.Scope ignored = scope(call).open()) {
                    status = send(driver, call, mode, body);
                }
            } else {
                status = send(driver, call, mode, body);
            }
            result.put("status", status).put("sha256", body.sha256()).put("bytes", body.count());
        } catch (Exception e) {
            result.put("error", e.getClass().getName());
            if (e.getCause() != null) {
                result.put("cause", e.getCause().getClass().getName());
            }
            NullSpendException denial = DenialFigures.find(e);
            if (denial != null) {
                result.set("denial", DenialFigures.describe(denial));
            }
        }
        return result;
    }

    /** One call through {@code driver}; with {@code action=}, as the task of an approved action. */
    private static int send(ClientDriver driver, Map<String, String> call, String mode, ReceivedBytes body) throws Exception {
        ClientRequest request = request(call);
        String read = call.getOrDefault("read", "whole");
        if (!call.containsKey("action")) {
            return driver.send(request, mode, read, body);
        }
        return NullSpend.proposeAndWait(call.get("action"), "http_post", Map.of("url", request.url()),
                actionId -> driver.send(request, mode, read, body), null, null, ACTION_POLL, ACTION_WAIT);
    }

    private static ClientDriver open(String name) {
        try {
            return (ClientDriver) Class.forName(ClientApp.class.getPackageName() + "." + name).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("driver= names a ClientDriver of " + ClientApp.class.getPackageName(), e);
        }
    }

    private static boolean scoped(Map<String, String> call) {
        return call.containsKey("session") || call.containsKey("customer") || call.containsKey("trace")
                || call.containsKey("tags");
    }

    private static Attribution.Builder scope(Map<String, String> call) {
        Attribution.Builder scope = NullSpend.attribute();
        if (call.containsKey("session")) {
            scope.session(call.get("session"));
        }
        if (call.containsKey("customer")) {
            scope.customer(call.get("customer"));
        }
        if (call.containsKey("trace")) {
            scope.traceId(call.get("trace"));
        }
        if (call.containsKey("tags")) {
            for (String tag : call.get("tags").split(";")) {
                scope.tag(tag.substring(0, tag.indexOf(':')), tag.substring(tag.indexOf(':') + 1));
            }
        }
        return scope;
    }

    private static ClientRequest request(Map<String, String> call) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (call.containsKey("header")) {
            String[] header = call.get("header").split(":", 2);
            headers.put(header[0], header[1]);
        }
        String url = required(call, "url");
        if (call.containsKey("chat")) {
            headers.put("Authorization", ClientRequest.AUTHORIZATION);
            String user = call.containsKey("pad") ? "u".repeat(Integer.parseInt(call.get("pad"))) : call.get("user");
            String json = chatBody(call.get("chat"), call.getOrDefault("stream", "off"), call.get("max-tokens"), user);
            return new ClientRequest(url, json.getBytes(StandardCharsets.UTF_8), "application/json", headers, call);
        }
        if (call.containsKey("json")) {
            return new ClientRequest(url, call.get("json").getBytes(StandardCharsets.UTF_8), "application/json", headers, call);
        }
        if (call.containsKey("post")) {
            return new ClientRequest(url, DeterministicBytes.of(Integer.parseInt(call.get("post"))),
                    "application/octet-stream", headers, call);
        }
        return new ClientRequest(url, null, null, headers, call);
    }

    /** The chat completion body {@code chat=<model> stream=<stream>} posts. */
    public static String chatBody(String model, String stream) {
        return chatBody(model, stream, null, null);
    }

    /** The plain chat completion body {@code chat=<model> max-tokens=<n> user=<user>} posts. */
    public static String chatBody(String model, int maxTokens, String user) {
        return chatBody(model, "off", String.valueOf(maxTokens), user);
    }

    private static String chatBody(String model, String stream, String maxTokens, String user) {
        String body = CallArgs.chatBody(model, stream);
        StringBuilder extra = new StringBuilder();
        if (maxTokens != null) {
            extra.append(",\"max_tokens\":").append(Integer.parseInt(maxTokens));
        }
        if (user != null) {
            extra.append(",\"user\":\"").append(user).append('"');
        }
        return body.substring(0, body.length() - 1) + extra + "}";
    }

    private static String required(Map<String, String> call, String key) {
        String value = call.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + "= is required");
        }
        return value;
    }
}
