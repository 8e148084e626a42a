package dev.nullspend.it.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bodies the fake provider sends, in OpenAI's exact shapes (docs/providers/openai.md#chat-completions).
 *
 * <p>Every byte is deterministic (fixed id and timestamp), so a test can compute exactly what a
 * program must receive.
 */
public final class ChatResponses {

    /** The assistant's reply, streamed one piece per SSE event. */
    static final List<String> REPLY_PIECES = List.of("Hello", " from", " the", " fake", " provider", ".");

    private static final String ID = "chatcmpl-fake";
    private static final long CREATED = 1752820177L;

    /** OpenAI answers with the dated snapshot the alias resolved to; unknown models are echoed as sent. */
    private static final Map<String, String> SNAPSHOTS = Map.of(
            "gpt-4o", "gpt-4o-2024-08-06",
            "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
            "o3", "o3-2025-04-16");

    private ChatResponses() {
    }

    /** The assistant's whole reply, as a client that joins the streamed pieces (or reads the message) gets it. */
    public static String replyText() {
        return String.join("", REPLY_PIECES);
    }

    /** The response's {@code model} for a request's model. */
    public static String responseModel(String requestModel) {
        return SNAPSHOTS.getOrDefault(requestModel, requestModel);
    }

    /** A {@code chat.completion} object; {@code usage} is left out when null. */
    public static byte[] completion(String requestModel, FakeUsage usage) {
        String json = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion\",\"created\":" + CREATED
                + ",\"model\":" + MiniJson.quote(responseModel(requestModel))
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + MiniJson.quote(replyText())
                + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                + (usage == null ? "" : ",\"usage\":" + usage.toJson())
                + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fake\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The SSE events of a {@code chat.completion.chunk} stream: a role chunk, one chunk per reply piece, a
     * finish chunk (all with {@code "usage":null}), the {@code choices:[]} usage chunk when {@code usage} is
     * not null, then {@code data: [DONE]}.
     */
    public static List<byte[]> streamEvents(String requestModel, FakeUsage usage) {
        String model = MiniJson.quote(responseModel(requestModel));
        List<String> data = new ArrayList<>();
        data.add(chunk(model, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}", "null"));
        for (String piece : REPLY_PIECES) {
            data.add(chunk(model, "{\"index\":0,\"delta\":{\"content\":" + MiniJson.quote(piece) + "},"
                    + "\"logprobs\":null,\"finish_reason\":null}", "null"));
        }
        data.add(chunk(model, "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}", "null"));
        if (usage != null) {
            data.add(chunk(model, "", usage.toJson()));
        }
        data.add("[DONE]");
        List<byte[]> events = new ArrayList<>(data.size());
        for (String d : data) {
            events.add(("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    /** The whole body of {@link #streamEvents}. */
    public static byte[] streamBody(String requestModel, FakeUsage usage) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        streamEvents(requestModel, usage).forEach(body::writeBytes);
        return body.toByteArray();
    }

    /** OpenAI's error object. */
    static byte[] error(String message, String type) {
        return ("{\"error\":{\"message\":" + MiniJson.quote(message) + ",\"type\":" + MiniJson.quote(type)
                + ",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String chunk(String quotedModel, String choices, String usageJson) {
        return "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                + ",\"model\":" + quotedModel + ",\"service_tier\":\"default\",\"system_fingerprint\":null"
                + ",\"choices\":[" + choices + "],\"usage\":" + usageJson + "}";
    }
}
