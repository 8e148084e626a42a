package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.requestJson;

import java.io.IOException;
import java.util.List;

/**
 * Azure OpenAI chat completions on a deployment URL,
 * {@code POST …/openai/deployments/{deployment}/chat/completions?api-version=…} (docs/providers/openai.md#azure-openai): the
 * body needs a {@code messages} array and no {@code model} (a {@code model} sent is ignored, as Azure
 * does); the response {@code model} is the dated snapshot of the model behind the deployment,
 * {@code /m/{model}} (default {@code gpt-4o}: {@code gpt-4o-2024-08-06}). Bodies carry Azure's
 * {@code prompt_filter_results} and {@code content_filter_results}; a stream starts with a chunk that has
 * only {@code prompt_filter_results}, empty {@code choices} and {@code "model":""}, and ends with the
 * {@code choices:[]} usage chunk only when the request has {@code stream_options.include_usage}.
 * {@code /u/} as OpenAI ({@link FakeUsage}). The {@code api-version} query parameter is required.
 */
final class AzureRoute implements ProviderRoute {

    private static final String DEPLOYMENTS = "/openai/deployments/";
    private static final String FILTERS = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
    private static final String PROMPT_FILTERS = "[{\"prompt_index\":0,\"content_filter_results\":" + FILTERS + "}]";
    private static final String HEAD = ",\"created\":1752820177,\"id\":\"chatcmpl-fake\",\"model\":";

    @Override
    public boolean serves(RouteOptions options) {
        return options.apiPath().contains(DEPLOYMENTS) && options.apiPath().endsWith("/chat/completions");
    }

    @Override
    public void answer(Reply reply, RouteOptions options, String rawQuery, byte[] body) throws IOException {
        if (rawQuery == null || !rawQuery.contains("api-version=")) {
            throw new ProviderRoutes.BadRequest("Missing required query parameter: api-version");
        }
        Object request = requestJson(body);
        if (!(MiniJson.path(request, "messages") instanceof List)) {
            throw new ProviderRoutes.BadRequest("'messages' is a required property");
        }
        String model = MiniJson.quote(ChatResponses.responseModel(options.model() == null ? "gpt-4o" : options.model()));
        FakeUsage usage = options.openAiUsage();
        reply.header("apim-request-id", "fake");
        reply.header("x-ms-region", "East US");
        if (!Boolean.TRUE.equals(MiniJson.path(request, "stream"))) {
            reply.body("application/json", ProviderRoute.utf8("{\"choices\":[{\"content_filter_results\":" + FILTERS
                    + ",\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,\"message\":{\"annotations\":[],\"content\":"
                    + MiniJson.quote(ChatResponses.replyText()) + ",\"refusal\":null,\"role\":\"assistant\"}}]" + HEAD + model
                    + ",\"object\":\"chat.completion\",\"prompt_filter_results\":" + PROMPT_FILTERS
                    + ",\"system_fingerprint\":\"fp_fake\",\"usage\":" + usage.toJson() + "}"), options.scenario());
            return;
        }
        ChatStream stream = new ChatStream().data("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
                + "\"prompt_filter_results\":" + PROMPT_FILTERS + "}");
        stream.data(chunk(model, "{\"content_filter_results\":{},\"delta\":{\"content\":\"\",\"refusal\":null,"
                + "\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}", "null"));
        for (String piece : ChatResponses.REPLY_PIECES) {
            stream.data(chunk(model, "{\"content_filter_results\":" + FILTERS + ",\"delta\":{\"content\":"
                    + MiniJson.quote(piece) + "},\"finish_reason\":null,\"index\":0,\"logprobs\":null}", "null"));
        }
        stream.contentEnds().data(chunk(model,
                "{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null}", "null"));
        if (Boolean.TRUE.equals(MiniJson.path(request, "stream_options", "include_usage"))) {
            stream.data(chunk(model, "", usage.toJson()));
        }
        stream.done();
        reply.stream("text/event-stream; charset=utf-8", stream.parts(), options.eventDelayMillis(), options.scenario(),
                stream.partsBeforeCut());
    }

    private static String chunk(String quotedModel, String choices, String usage) {
        return "{\"choices\":[" + choices + "]" + HEAD + quotedModel
                + ",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_fake\",\"usage\":" + usage + "}";
    }
}
