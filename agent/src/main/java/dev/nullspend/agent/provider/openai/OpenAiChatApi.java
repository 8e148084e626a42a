package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.exchange.ResponseFilter;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.sse.SseLineReader;
import java.util.List;

/**
 * Chat Completions ({@code POST …/chat/completions}, docs/providers/openai.md, docs/providers/compatible.md) of OpenAI, Azure
 * OpenAI and every OpenAI-compatible server (see {@link OpenAiStyleApi} for which host gives
 * which provider). Elsewhere than a known host the body must be a chat request: a string
 * {@code model} and a {@code messages} array, so an application's own endpoint that happens to
 * end in {@code /chat/completions} is left alone.
 */
public final class OpenAiChatApi extends OpenAiStyleApi {

    public static final String ENDPOINT = "chat.completions";

    private static final String MESSAGES = "messages";
    private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
    private static final String MAX_TOKENS = "max_tokens";

    /** Which streamed requests are asked for their usage. */
    private final IncludeUsage includeUsage;

    public OpenAiChatApi() {
        this(ProviderSettings.BUILT_IN);
    }

    public OpenAiChatApi(ProviderHosts hosts) {
        this(new ProviderSettings(hosts, List.of()));
    }

    public OpenAiChatApi(ProviderSettings settings) {
        super(settings.hosts(), ENDPOINT, "/chat/completions", List.of(MAX_COMPLETION_TOKENS, MAX_TOKENS), MESSAGES);
        this.includeUsage = new IncludeUsage(settings.includeUsageHosts());
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        return body.kind(MODEL) == JsonPicker.Kind.STRING && body.kind(MESSAGES) == JsonPicker.Kind.ARRAY;
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        OpenAiUsage usage = OpenAiUsage.chatFor(request.provider());
        return sseOrBody(request, contentType, usage, usage);
    }

    /** A stream that does not ask for its usage, to a host that sends it only when asked: ask ({@link IncludeUsage}). */
    @Override
    public byte[] rewriteBody(Exchange exchange, LlmRequest request) {
        return includeUsage.rewrite(exchange, request);
    }

    /** The usage chunk the agent asked for is taken out again, where the stream's bytes are plain SSE. */
    @Override
    public ResponseFilter responseFilter(LlmRequest request, String contentType, String contentEncoding) {
        boolean plain = contentEncoding == null || contentEncoding.isBlank()
                || contentEncoding.trim().equalsIgnoreCase("identity");
        return plain && SseLineReader.isEventStream(contentType) ? new UsageChunkFilter() : null;
    }
}
