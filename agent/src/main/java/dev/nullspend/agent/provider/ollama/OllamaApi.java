package dev.nullspend.agent.provider.ollama;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.HostOrShapeApi;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.Vendor;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.util.Locale;
import java.util.List;

/**
 * Ollama's native API ({@code POST /api/chat}, {@code POST /api/generate}, docs/providers/compatible.md),
 * recognised on Ollama hosts only: port {@value OllamaFamily#PORT} on any host,
 * {@code ollama.com}, and hosts named for {@code ollama} in {@code nullspend.providers.extra-hosts}.
 * Paths this generic, with bodies ({@code model} + {@code messages}) any chat backend could take,
 * are never claimed on other hosts by body shape.
 *
 * <p>Responses stream as NDJSON unless the request says {@code "stream": false}; usage is on the
 * {@code done: true} object. The output cap is {@code options.num_predict}.
 */
public final class OllamaApi extends HostOrShapeApi {

    public static final String CHAT = "/api/chat";
    public static final String GENERATE = "/api/generate";

    private static final String NUM_PREDICT = "options.num_predict";

    public OllamaApi(ProviderHosts hosts) {
        super(hosts, OllamaFamily.OLLAMA, "generate", List.of(NUM_PREDICT));
    }

    @Override
    protected boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return Requests.isPostTo(method, target, pathStart, pathEnd, CHAT)
                || Requests.isPostTo(method, target, pathStart, pathEnd, GENERATE);
    }

    @Override
    protected boolean isKnownHost(Exchange exchange, Vendor vendor) {
        return vendor == OllamaFamily.OLLAMA;
    }

    @Override
    protected boolean recognisedOnKnownHostsOnly() {
        return true;
    }

    /** {@code chat} or {@code generate}. */
    @Override
    protected String endpoint(Exchange exchange) {
        return Requests.isPostTo(exchange, CHAT) ? "chat" : "generate";
    }

    /** Streaming is the default: only {@code "stream": false} turns it off. */
    @Override
    protected boolean stream(Exchange exchange, JsonPicker body) {
        return body == null || !Boolean.FALSE.equals(body.bool(STREAM));
    }

    /** NDJSON for {@code application/x-ndjson}, JSON for {@code application/json}, else as the request asked. */
    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
        if (SseLineReader.isNdjson(contentType) || (!json && request.stream())) {
            return JsonStreamParser.ndjson(OllamaUsage.FORMAT);
        }
        return new JsonBodyParser(OllamaUsage.FORMAT);
    }
}
