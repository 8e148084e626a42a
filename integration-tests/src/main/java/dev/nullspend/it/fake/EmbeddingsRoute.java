package dev.nullspend.it.fake;


import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI Embeddings ({@code POST …/v1/embeddings}, docs/providers/openai.md#embeddings): the request needs a string
 * {@code model} and an {@code input} (string or array); the answer is one embedding of
 * {@value #DIMENSIONS} deterministic floats per input, then the model and {@code usage} (after the
 * vectors, as OpenAI sends it). {@code /u/{prompt}-0-0-0} ({@link FakeUsage}; only the prompt count is
 * used, default 8).
 */
final class EmbeddingsRoute extends ModelRoute {

    /** text-embedding-3-small's size: about 30 KB of vector text per input before the usage. */
    static final int DIMENSIONS = 1536;

    EmbeddingsRoute() {
        super("/embeddings");
    }

    @Override
    void answer(Reply reply, RouteOptions options, Object request, String model) throws IOException {
        Object input = MiniJson.path(request, "input");
        int inputs = input instanceof List<?> list ? list.size() : input instanceof String ? 1 : 0;
        if (inputs == 0) {
            throw new ProviderRoutes.BadRequest("'input' is required: a string or a non-empty array.");
        }
        long prompt = options.usage() == null ? 8 : options.openAiUsage().promptTokens();
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        DeterministicBytes bytes = new DeterministicBytes(DIMENSIONS);
        byte[] one = new byte[1];
        for (int i = 0; i < inputs; i++) {
            json.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
            for (int d = 0; d < DIMENSIONS; d++) {
                bytes.fill(one, 0, 1);
                json.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", one[0] / 4096.0));
            }
            json.append("]}");
        }
        json.append("],\"model\":").append(MiniJson.quote(model)).append(",\"usage\":{\"prompt_tokens\":").append(prompt)
                .append(",\"total_tokens\":").append(prompt).append("}}");
        reply.header("x-request-id", "req_fake");
        reply.body("application/json", ProviderRoute.utf8(json.toString()), options.scenario());
    }
}
