package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.sse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's Responses API ({@code POST …/v1/responses}, docs/providers/openai.md#responses). The request needs a string
 * {@code model} and an {@code input} (string or array); the response {@code model} is the dated snapshot
 * ({@link ChatResponses#responseModel}). {@code /u/{input}-{cached}-{output}-{reasoning}}, cached inside
 * input and reasoning inside output as in {@link FakeUsage} (default 22-0-3-0).
 *
 * <p>With {@code "stream": true}: named events {@code response.created}, {@code response.in_progress},
 * one {@code response.output_text.delta} per reply piece, {@code response.output_text.done}, then
 * {@code response.completed} whose {@code response.usage} is the usage (always sent, no opt-in).
 * {@code truncated} cuts the stream after the deltas, before {@code response.completed}.
 */
final class ResponsesRoute extends ModelRoute {

    private static final String ID = "resp_fake";

    ResponsesRoute() {
        super("/responses");
    }

    @Override
    void answer(Reply reply, RouteOptions options, Object request, String requestModel) throws IOException {
        String model = MiniJson.quote(ChatResponses.responseModel(requestModel));
        Object input = MiniJson.path(request, "input");
        if (!(input instanceof String || input instanceof List)) {
            throw new ProviderRoutes.BadRequest("'input' is required: a string or an array.");
        }
        FakeUsage u = options.openAiUsage();
        reply.header("x-request-id", "req_fake");
        if (!Boolean.TRUE.equals(MiniJson.path(request, "stream"))) {
            reply.body("application/json", ProviderRoute.utf8(response(model, "completed", output(), usage(u))),
                    options.scenario());
            return;
        }
        List<byte[]> events = new ArrayList<>();
        int seq = 0;
        events.add(sse("response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++
                + ",\"response\":" + response(model, "in_progress", "[]", "null") + "}"));
        events.add(sse("response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":" + seq++
                + ",\"response\":" + response(model, "in_progress", "[]", "null") + "}"));
        for (String piece : ChatResponses.REPLY_PIECES) {
            events.add(sse("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":"
                    + seq++ + ",\"item_id\":\"msg_fake\",\"output_index\":0,\"content_index\":0,\"delta\":"
                    + MiniJson.quote(piece) + ",\"logprobs\":[]}"));
        }
        int cut = events.size();
        events.add(sse("response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":"
                + seq++ + ",\"item_id\":\"msg_fake\",\"output_index\":0,\"content_index\":0,\"text\":"
                + MiniJson.quote(ChatResponses.replyText()) + ",\"logprobs\":[]}"));
        events.add(sse("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + seq
                + ",\"response\":" + response(model, "completed", output(), usage(u)) + "}"));
        reply.stream("text/event-stream; charset=utf-8", events, options.eventDelayMillis(), options.scenario(), cut);
    }

    private static String response(String quotedModel, String status, String output, String usage) {
        return "{\"id\":\"" + ID + "\",\"object\":\"response\",\"created_at\":1752820177,\"status\":\"" + status
                + "\",\"model\":" + quotedModel + ",\"output\":" + output + ",\"usage\":" + usage + "}";
    }

    private static String output() {
        return "[{\"id\":\"msg_fake\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":"
                + MiniJson.quote(ChatResponses.replyText()) + "}]}]";
    }

    private static String usage(FakeUsage u) {
        return "{\"input_tokens\":" + u.promptTokens() + ",\"input_tokens_details\":{\"cached_tokens\":" + u.cachedTokens()
                + "},\"output_tokens\":" + u.completionTokens() + ",\"output_tokens_details\":{\"reasoning_tokens\":"
                + u.reasoningTokens() + "},\"total_tokens\":" + (u.promptTokens() + u.completionTokens()) + "}";
    }
}
