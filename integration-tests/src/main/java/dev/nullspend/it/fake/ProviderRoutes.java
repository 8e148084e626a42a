package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;

/**
 * The LLM APIs of other shapes than OpenAI chat completions, each in its own {@link ProviderRoute}. For
 * each, the scenario {@code ok} answers as the vendor does; {@code truncated} drops the connection half
 * way (a stream: after its content events, before the events that end it, see each route);
 * {@code http500} sends the vendor's error object with status 500; other scenarios get a 400.
 */
final class ProviderRoutes {

    /** Azure and the OpenAI-compatible vendors first: their paths also end with {@code /chat/completions}. */
    private static final List<ProviderRoute> ROUTES = List.of(new AzureRoute(), new CompatibleChatRoute(),
            new AnthropicRoute(), new GeminiRoute(), new ResponsesRoute(), new EmbeddingsRoute(), new OllamaRoute());

    private ProviderRoutes() {
    }

    /** The route that serves a POST to {@code rawPath}, or null (then a bad option value serves nothing either). */
    static ProviderRoute find(String rawPath) {
        RouteOptions options;
        try {
            options = RouteOptions.parse(rawPath);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (ProviderRoute route : ROUTES) {
            if (route.serves(options)) {
                return route;
            }
        }
        return null;
    }

    /** Answers a POST that {@code route} serves. */
    static void answer(ProviderRoute route, FakeProviderServer server, HttpExchange exchange, String rawPath, byte[] body)
            throws IOException {
        RouteOptions options = RouteOptions.parse(rawPath);
        Reply reply = new Reply(server, exchange);
        switch (options.scenario()) {
            case OK, TRUNCATED -> {
                try {
                    route.answer(reply, options, exchange.getRequestURI().getRawQuery(), body);
                } catch (BadRequest e) {
                    reply.error(400, route.error(400, e.getMessage()));
                }
            }
            case HTTP_500 -> reply.error(500, route.error(500, "The server had an error while processing your request."));
            default -> reply.error(400, route.error(400, "scenario " + options.scenario().pathName()
                    + " is not served on " + options.apiPath()));
        }
    }

    /** The request body as JSON, or a {@link BadRequest} when it is not a JSON object. */
    static Object requestJson(byte[] body) {
        try {
            Object root = MiniJson.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            if (root instanceof java.util.Map) {
                return root;
            }
        } catch (IllegalArgumentException notJson) {
            // answered below
        }
        throw new BadRequest("The body must be a JSON object.");
    }

    /** The request's string field {@code key}, or a {@link BadRequest}. */
    static String requiredText(Object request, String key) {
        if (MiniJson.path(request, key) instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw new BadRequest("'" + key + "' is required and must be a string.");
    }

    /** One server-sent event: {@code event: name} (when not null) and {@code data: json}, then a blank line. */
    static byte[] sse(String event, String data) {
        return ProviderRoute.utf8((event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n");
    }

    /** The request is not one the vendor would accept: answered with a 400 and the vendor's error object. */
    static final class BadRequest extends IllegalArgumentException {
        BadRequest(String message) {
            super(message);
        }
    }
}
