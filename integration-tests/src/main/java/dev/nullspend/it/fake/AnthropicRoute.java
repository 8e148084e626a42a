package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.sse;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages ({@code POST …/v1/messages}, docs/providers/anthropic.md). The request must have a string
 * {@code model}, a {@code messages} array and a numeric {@code max_tokens}, as the API requires; the
 * response echoes the model as sent. {@code /u/{input}-{cacheRead}-{write5m}-{write1h}-{output}}, default
 * {@code 25-0-0-0-15} (the recorded stream of docs/providers/anthropic.md): {@code input_tokens} is uncached input,
 * {@code cache_creation_input_tokens} = write5m + write1h with the {@code cache_creation} split.
 *
 * <p>With {@code "stream": true}: {@code message_start} (the input and cache counts, output 1 as a
 * placeholder), {@code content_block_start}, a {@code ping}, one {@code content_block_delta} per reply
 * piece, {@code content_block_stop}, {@code message_delta} (the output count), {@code message_stop}.
 * {@code truncated} cuts a stream after its last {@code content_block_delta}: no {@code message_delta}
 * ever arrives.
 */
final class AnthropicRoute extends ModelRoute {

    /** The recorded stream's usage (docs/providers/anthropic.md): input 25, output 15. */
    static final long[] DEFAULT_COUNTS = {25, 0, 0, 0, 15};

    private static final String ID = "msg_fake";

    AnthropicRoute() {
        super("/v1/messages");
    }

    @Override
    void answer(Reply reply, RouteOptions options, Object request, String model) throws IOException {
        if (!(MiniJson.path(request, "messages") instanceof List)) {
            throw new ProviderRoutes.BadRequest("messages: Field required");
        }
        if (!(MiniJson.path(request, "max_tokens") instanceof BigDecimal)) {
            throw new ProviderRoutes.BadRequest("max_tokens: Field required");
        }
        long[] c = options.counts(DEFAULT_COUNTS);
        reply.header("request-id", "req_fake");
        reply.header("anthropic-organization-id", "org_fake");
        if (Boolean.TRUE.equals(MiniJson.path(request, "stream"))) {
            List<byte[]> events = streamEvents(model, c);
            reply.header("Cache-Control", "no-cache");
            reply.stream("text/event-stream; charset=utf-8", events, options.eventDelayMillis(), options.scenario(),
                    events.size() - 3);
        } else {
            reply.body("application/json", message(model, c), options.scenario());
        }
    }

    @Override
    public byte[] error(int status, String message) {
        String type = status >= 500 ? "api_error" : "invalid_request_error";
        return ProviderRoute.utf8("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":"
                + MiniJson.quote(message) + "},\"request_id\":\"req_fake\"}");
    }

    /** The plain {@code message} body. */
    static byte[] message(String model, long[] c) {
        return ProviderRoute.utf8("{\"model\":" + MiniJson.quote(model) + ",\"id\":\"" + ID
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":"
                + MiniJson.quote(ChatResponses.replyText()) + "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":" + usage(c, c[4]) + "}");
    }

    /** The SSE events of a streamed message. */
    static List<byte[]> streamEvents(String model, long[] c) {
        List<byte[]> events = new ArrayList<>();
        events.add(sse("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + ID
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + MiniJson.quote(model)
                + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage(c, 1) + "}}"));
        events.add(sse("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(sse("ping", "{\"type\": \"ping\"}"));
        for (String piece : ChatResponses.REPLY_PIECES) {
            events.add(sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + MiniJson.quote(piece) + "}}"));
        }
        events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(sse("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + c[4] + "}}"));
        events.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
        return events;
    }

    private static String usage(long[] c, long output) {
        return "{\"input_tokens\":" + c[0] + ",\"cache_creation_input_tokens\":" + (c[2] + c[3])
                + ",\"cache_read_input_tokens\":" + c[1]
                + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + c[2] + ",\"ephemeral_1h_input_tokens\":" + c[3]
                + "},\"output_tokens\":" + output + ",\"service_tier\":\"standard\"}";
    }
}
