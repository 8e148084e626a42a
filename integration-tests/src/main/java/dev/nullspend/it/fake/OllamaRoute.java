package dev.nullspend.it.fake;


import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's native chat ({@code POST …/api/chat}, docs/providers/compatible.md): the request needs a string
 * {@code model} and a {@code messages} array. Streaming unless the request says {@code "stream": false}:
 * {@code application/x-ndjson}, one object per reply piece with {@code "done":false}, then the
 * {@code "done":true} object with {@code prompt_eval_count}, {@code eval_count} and the durations; not
 * streamed, that last object alone with the whole message as {@code application/json}.
 * {@code /u/{prompt}-0-{eval}-0} ({@link FakeUsage}: prompt → {@code prompt_eval_count}, completion →
 * {@code eval_count}; default 26-0-290-0, the sample of docs/providers/compatible.md). {@code truncated} cuts a stream
 * before its {@code done:true} line.
 */
final class OllamaRoute extends ModelRoute {

    private static final FakeUsage DEFAULT = new FakeUsage(26, 0, 290, 0);

    OllamaRoute() {
        super("/api/chat");
    }

    @Override
    void answer(Reply reply, RouteOptions options, Object request, String requestModel) throws IOException {
        String model = MiniJson.quote(requestModel);
        if (!(MiniJson.path(request, "messages") instanceof List)) {
            throw new ProviderRoutes.BadRequest("messages is required");
        }
        FakeUsage u = options.usage() == null ? DEFAULT : options.openAiUsage();
        if (Boolean.FALSE.equals(MiniJson.path(request, "stream"))) {
            reply.body("application/json; charset=utf-8",
                    ProviderRoute.utf8(line(model, 1, ChatResponses.replyText(), u)), options.scenario());
            return;
        }
        List<byte[]> lines = new ArrayList<>();
        for (String piece : ChatResponses.REPLY_PIECES) {
            lines.add(ProviderRoute.utf8(line(model, 0, piece, null) + "\n"));
        }
        lines.add(ProviderRoute.utf8(line(model, 1, "", u) + "\n"));
        reply.stream("application/x-ndjson", lines, options.eventDelayMillis(), options.scenario(), lines.size() - 1);
    }

    @Override
    public byte[] error(int status, String message) {
        return ProviderRoute.utf8("{\"error\":" + MiniJson.quote(message) + "}");
    }

    /** One chat object; {@code usage} null for a piece that is not the last ({@code "done":false}). */
    private static String line(String quotedModel, int second, String content, FakeUsage usage) {
        String head = "{\"model\":" + quotedModel + ",\"created_at\":\"2026-01-01T00:00:0" + second + "Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":" + MiniJson.quote(content) + "},";
        if (usage == null) {
            return head + "\"done\":false}";
        }
        return head + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":5000000000,\"load_duration\":1000000,"
                + "\"prompt_eval_count\":" + usage.promptTokens() + ",\"prompt_eval_duration\":200000000,"
                + "\"eval_count\":" + usage.completionTokens() + ",\"eval_duration\":4700000000}";
    }
}
