package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * Legacy Completions ({@code POST …/completions}, not {@code …/chat/completions}): the chat usage
 * object, plain or streamed. Elsewhere than a known host the body must have a string
 * {@code model} and a {@code prompt} (string or array).
 */
public final class OpenAiCompletionsApi extends OpenAiStyleApi {

    public static final String ENDPOINT = "completions";

    private static final String PROMPT = "prompt";
    private static final String MAX_TOKENS = "max_tokens";

    public OpenAiCompletionsApi(ProviderHosts hosts) {
        super(hosts, ENDPOINT, "/completions", List.of(MAX_TOKENS), PROMPT);
    }

    @Override
    protected boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return super.matchesPath(method, target, pathStart, pathEnd)
                && !Requests.isPostTo(method, target, pathStart, pathEnd, "/chat/completions");
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        return hasModelAndTextOrList(body, PROMPT);
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        OpenAiUsage usage = OpenAiUsage.chatFor(request.provider());
        return sseOrBody(request, contentType, usage, usage);
    }
}
