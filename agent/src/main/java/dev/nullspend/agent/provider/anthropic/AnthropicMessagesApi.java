package dev.nullspend.agent.provider.anthropic;

import dev.nullspend.agent.provider.HostOrShapeApi;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.Vendor;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * Anthropic Messages ({@code POST …/messages}, docs/providers/anthropic.md). On {@code api.anthropic.com}
 * (and any known vendor's host, e.g. an extra host named for {@code anthropic}) the path is
 * enough; elsewhere the body must be a Messages request — a string {@code model}, a
 * {@code messages} array and a numeric {@code max_tokens} (which the API requires) — so an
 * application's own endpoint ending in {@code /messages} is left alone. The provider is
 * {@code anthropic}, or the host's vendor (DeepSeek and Ollama serve this API too).
 */
public final class AnthropicMessagesApi extends HostOrShapeApi {

    public static final String ENDPOINT = "messages";

    private static final String PATH_SUFFIX = "/messages";
    private static final String MESSAGES = "messages";
    private static final String MAX_TOKENS = "max_tokens";

    public AnthropicMessagesApi(ProviderHosts hosts) {
        super(hosts, AnthropicFamily.ANTHROPIC, ENDPOINT, List.of(MAX_TOKENS), MESSAGES);
    }

    @Override
    protected boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return Requests.isPostTo(method, target, pathStart, pathEnd, PATH_SUFFIX);
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        JsonPicker.Kind maxTokens = body.kind(MAX_TOKENS);
        return body.kind(MODEL) == JsonPicker.Kind.STRING && body.kind(MESSAGES) == JsonPicker.Kind.ARRAY
                && (maxTokens == JsonPicker.Kind.INTEGER || maxTokens == JsonPicker.Kind.DECIMAL);
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        return isEventStream(request, contentType) ? new AnthropicSseParser() : new JsonBodyParser(AnthropicUsage.BODY);
    }
}
