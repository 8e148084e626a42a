package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.requestJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini {@code generateContent} and {@code streamGenerateContent} (docs/providers/google.md) on the Developer API
 * path ({@code …/v1beta/models/{model}:generateContent}) and the Vertex AI one
 * ({@code …/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent}, whose usage
 * adds {@code trafficType}). The request must have a {@code contents} array. {@code modelVersion} is the
 * model in the path. {@code /u/{prompt}-{cached}-{candidates}-{thoughts}}, default {@code 8-0-2-98} (the
 * stream of docs/providers/google.md): {@code promptTokenCount} includes {@code cachedContentTokenCount},
 * {@code thoughtsTokenCount} is outside {@code candidatesTokenCount}; zero counts are left out, as
 * protobuf JSON does.
 *
 * <p>{@code :streamGenerateContent?alt=sse} sends one {@code data:} line per reply piece, each a whole
 * response whose {@code usageMetadata} has the prompt counts, the last one also the candidates and
 * thoughts counts and the {@code finishReason}; without {@code alt=sse} the same responses are the
 * elements of one JSON array written element by element ({@code [{…}\n,\r\n{…}\n]}).
 * {@code truncated} cuts a stream before its last response.
 */
final class GeminiRoute implements ProviderRoute {

    /** docs/providers/google.md#streaming sample: 8 prompt tokens, 2 candidates, 98 thoughts. */
    static final long[] DEFAULT_COUNTS = {8, 0, 2, 98};

    private static final String GENERATE = ":generateContent";
    private static final String STREAM = ":streamGenerateContent";
    private static final String MODELS = "/models/";

    @Override
    public boolean serves(RouteOptions options) {
        String path = options.apiPath();
        return (path.endsWith(GENERATE) || path.endsWith(STREAM)) && path.contains(MODELS);
    }

    @Override
    public void answer(Reply reply, RouteOptions options, String rawQuery, byte[] body) throws IOException {
        String path = options.apiPath();
        boolean stream = path.endsWith(STREAM);
        String model = path.substring(path.lastIndexOf(MODELS) + MODELS.length(),
                path.length() - (stream ? STREAM : GENERATE).length());
        if (!(MiniJson.path(requestJson(body), "contents") instanceof List)) {
            throw new ProviderRoutes.BadRequest("* GenerateContentRequest.contents: contents is not specified");
        }
        boolean vertex = path.contains("/publishers/google/models/");
        long[] c = options.counts(DEFAULT_COUNTS);
        reply.header("x-goog-request-id", "fake");
        if (!stream) {
            reply.body("application/json; charset=UTF-8", ProviderRoute.utf8(response(model, c, vertex, -1)),
                    options.scenario());
            return;
        }
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < ChatResponses.REPLY_PIECES.size(); i++) {
            chunks.add(response(model, c, vertex, i));
        }
        List<byte[]> parts = new ArrayList<>();
        boolean sse = rawQuery != null && List.of(rawQuery.split("&")).contains("alt=sse");
        for (int i = 0; i < chunks.size(); i++) {
            if (sse) {
                parts.add(ProviderRoutes.sse(null, chunks.get(i)));
            } else {
                parts.add(ProviderRoute.utf8((i == 0 ? "[" : "\n,\r\n") + chunks.get(i) + (i == chunks.size() - 1 ? "\n]" : "")));
            }
        }
        reply.stream(sse ? "text/event-stream" : "application/json; charset=UTF-8", parts, options.eventDelayMillis(),
                options.scenario(), parts.size() - 1);
    }

    @Override
    public byte[] error(int status, String message) {
        String code = status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        return ProviderRoute.utf8("{\"error\":{\"code\":" + status + ",\"message\":" + MiniJson.quote(message)
                + ",\"status\":\"" + code + "\"}}");
    }

    /**
     * One {@code GenerateContentResponse}: the whole reply ({@code piece} -1), or one streamed piece, the
     * last of which carries the output counts and the finish reason.
     */
    static String response(String model, long[] c, boolean vertex, int piece) {
        List<String> pieces = ChatResponses.REPLY_PIECES;
        boolean last = piece < 0 || piece == pieces.size() - 1;
        String text = piece < 0 ? ChatResponses.replyText() : pieces.get(piece);
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + MiniJson.quote(text) + "}],\"role\":\"model\"}"
                + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":" + usage(c, last, vertex)
                + ",\"modelVersion\":" + MiniJson.quote(model)
                + (vertex ? ",\"createTime\":\"2026-01-01T00:00:00.000000Z\"" : "") + ",\"responseId\":\"fake-response\"}";
    }

    private static String usage(long[] c, boolean withOutput, boolean vertex) {
        long prompt = c[0];
        long cached = c[1];
        long candidates = withOutput ? c[2] : 0;
        long thoughts = withOutput ? c[3] : 0;
        StringBuilder u = new StringBuilder("{\"promptTokenCount\":").append(prompt);
        if (candidates > 0) {
            u.append(",\"candidatesTokenCount\":").append(candidates);
        }
        u.append(",\"totalTokenCount\":").append(prompt + candidates + thoughts);
        if (cached > 0) {
            u.append(",\"cachedContentTokenCount\":").append(cached);
        }
        u.append(",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":").append(prompt).append("}]");
        if (cached > 0) {
            u.append(",\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":").append(cached).append("}]");
        }
        if (thoughts > 0) {
            u.append(",\"thoughtsTokenCount\":").append(thoughts);
        }
        if (vertex) {
            u.append(",\"trafficType\":\"ON_DEMAND\"");
        }
        return u.append('}').toString();
    }
}
