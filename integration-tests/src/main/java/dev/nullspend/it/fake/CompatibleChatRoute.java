package dev.nullspend.it.fake;

import static dev.nullspend.it.fake.ProviderRoutes.requestJson;
import static dev.nullspend.it.fake.ProviderRoutes.requiredText;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Chat completions of the OpenAI-compatible vendors (docs/providers/compatible.md), chosen by {@code /p/{vendor}}
 * before the vendor's own path ({@code /p/groq/openai/v1/chat/completions},
 * {@code /p/deepseek/chat/completions}, {@code /p/openrouter/api/v1/chat/completions},
 * {@code /p/mistral/v1/chat/completions}). The request needs a string {@code model} and a
 * {@code messages} array; the response echoes the model. {@code /u/} as OpenAI ({@link FakeUsage}); each
 * vendor's default is its docs/providers/compatible.md sample:
 * <ul>
 *   <li>{@code groq} (12-0-40-0): usage with Groq's timings; a stream carries it at {@code x_groq.usage} of
 *       its finish chunk (non-empty {@code choices}), as Groq's older streams do, whatever the request asked.</li>
 *   <li>{@code deepseek} (1200-1000-300-120): usage with {@code prompt_cache_hit_tokens} (the cached count)
 *       and {@code prompt_cache_miss_tokens}; a stream ends with a {@code choices:[]} usage chunk only with
 *       {@code stream_options.include_usage}.</li>
 *   <li>{@code openrouter} (100-0-20-0): usage with {@code cost}, the {@code /c/{usd}} option (default
 *       {@code 0.000027}); a stream starts with a {@code : OPENROUTER PROCESSING} comment and always ends
 *       with a {@code choices:[]} usage chunk.</li>
 *   <li>{@code mistral} (22-0-3-0): the bare usage; a stream always carries it on its finish chunk, next
 *       to non-empty {@code choices}.</li>
 * </ul>
 * {@code truncated} cuts a stream after its content chunks, before the finish and usage chunks.
 */
final class CompatibleChatRoute implements ProviderRoute {

    private static final String CREATED = "1752820177";
    /** The first delta's role, before its content. */
    private static final String ROLE = "\"role\":\"assistant\",";

    @Override
    public boolean serves(RouteOptions options) {
        return options.vendor() != null && options.apiPath().endsWith("/chat/completions");
    }

    @Override
    public void answer(Reply reply, RouteOptions options, String rawQuery, byte[] body) throws IOException {
        Vendor vendor = Vendor.of(options.vendor());
        Object request = requestJson(body);
        String model = MiniJson.quote(requiredText(request, "model"));
        if (!(MiniJson.path(request, "messages") instanceof List)) {
            throw new ProviderRoutes.BadRequest("'messages' is required and must be an array.");
        }
        FakeUsage u = options.usage() == null ? vendor.defaultUsage : options.openAiUsage();
        String usage = vendor.usage(u, options.reportedCost() == null ? "0.000027" : options.reportedCost());
        if (!Boolean.TRUE.equals(MiniJson.path(request, "stream"))) {
            reply.body("application/json", ProviderRoute.utf8(vendor.completion(model, usage)), options.scenario());
            return;
        }
        boolean includeUsage = Boolean.TRUE.equals(MiniJson.path(request, "stream_options", "include_usage"));
        ChatStream stream = vendor.stream(model, usage, includeUsage);
        reply.stream("text/event-stream", stream.parts(), options.eventDelayMillis(), options.scenario(),
                stream.partsBeforeCut());
    }

    /** A vendor's usage object, bodies and streams. */
    private enum Vendor {
        GROQ(new FakeUsage(12, 0, 40, 0)) {
            @Override
            String usage(FakeUsage u, String cost) {
                return "{\"queue_time\":0.01,\"prompt_tokens\":" + u.promptTokens() + ",\"prompt_time\":0.002,"
                        + "\"completion_tokens\":" + u.completionTokens() + ",\"completion_time\":0.05,"
                        + "\"total_tokens\":" + (u.promptTokens() + u.completionTokens()) + ",\"total_time\":0.062}";
            }

            @Override
            String completion(String model, String usage) {
                return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":" + model
                        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + MiniJson.quote(ChatResponses.replyText()) + "},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                        + ",\"usage\":" + usage + ",\"usage_breakdown\":null,\"system_fingerprint\":\"fp_fake\""
                        + ",\"x_groq\":{\"id\":\"req_fake\"},\"service_tier\":\"on_demand\"}";
            }

            @Override
            ChatStream stream(String model, String usage, boolean includeUsage) {
                String open = "\"logprobs\":null,\"finish_reason\":null";
                ChatStream s = new ChatStream().data(chunk(model, choice(ROLE, "", open), ",\"x_groq\":{\"id\":\"req_fake\"}"));
                return pieces(s, model, "", open, "").data(chunk(model, "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}",
                        ",\"x_groq\":{\"id\":\"req_fake\",\"usage\":" + usage + "}")).done();
            }

            @Override
            String chunk(String model, String choice, String tail) {
                return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                        + ",\"model\":" + model + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[" + choice + "]" + tail + "}";
            }
        },
        DEEPSEEK(new FakeUsage(1200, 1000, 300, 120)) {
            @Override
            String usage(FakeUsage u, String cost) {
                return "{\"prompt_tokens\":" + u.promptTokens() + ",\"completion_tokens\":" + u.completionTokens()
                        + ",\"total_tokens\":" + (u.promptTokens() + u.completionTokens())
                        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cachedTokens() + "}"
                        + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + u.reasoningTokens() + "}"
                        + ",\"prompt_cache_hit_tokens\":" + u.cachedTokens()
                        + ",\"prompt_cache_miss_tokens\":" + (u.promptTokens() - u.cachedTokens()) + "}";
            }

            @Override
            String completion(String model, String usage) {
                return "{\"id\":\"fake-deepseek\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":" + model
                        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + MiniJson.quote(ChatResponses.replyText()) + "},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                        + ",\"usage\":" + usage + ",\"system_fingerprint\":\"fp_fake\"}";
            }

            @Override
            ChatStream stream(String model, String usage, boolean includeUsage) {
                String open = "\"logprobs\":null,\"finish_reason\":null";
                ChatStream s = pieces(new ChatStream().data(chunk(model, choice(ROLE, "", open), "null")), model, "", open, "null");
                s.data(chunk(model, "{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":\"stop\"}", "null"));
                if (includeUsage) {
                    s.data(chunk(model, "", usage));
                }
                return s.done();
            }

            @Override
            String chunk(String model, String choices, String usage) {
                return "{\"id\":\"fake-deepseek\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                        + ",\"model\":" + model + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[" + choices
                        + "],\"usage\":" + usage + "}";
            }
        },
        OPENROUTER(new FakeUsage(100, 0, 20, 0)) {
            @Override
            String usage(FakeUsage u, String cost) {
                return "{\"prompt_tokens\":" + u.promptTokens() + ",\"completion_tokens\":" + u.completionTokens()
                        + ",\"total_tokens\":" + (u.promptTokens() + u.completionTokens()) + ",\"cost\":" + cost
                        + ",\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":" + u.cachedTokens()
                        + ",\"cache_write_tokens\":0,\"audio_tokens\":0},\"cost_details\":{\"upstream_inference_cost\":null}"
                        + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + u.reasoningTokens() + "}}";
            }

            @Override
            String completion(String model, String usage) {
                return "{\"id\":\"gen-fake\",\"provider\":\"OpenAI\",\"model\":" + model
                        + ",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"choices\":[{\"logprobs\":null,"
                        + "\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"index\":0,\"message\":{\"role\":"
                        + "\"assistant\",\"content\":" + MiniJson.quote(ChatResponses.replyText())
                        + ",\"refusal\":null,\"reasoning\":null}}],\"usage\":" + usage + "}";
            }

            @Override
            ChatStream stream(String model, String usage, boolean includeUsage) {
                return pieces(new ChatStream().raw(": OPENROUTER PROCESSING\n\n"), model, ROLE,
                        "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null", "").data(chunk(model, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                                + "\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"logprobs\":null}", ""))
                        .data(chunk(model, "", ",\"usage\":" + usage)).done();
            }

            @Override
            String chunk(String model, String choices, String tail) {
                return "{\"id\":\"gen-fake\",\"provider\":\"OpenAI\",\"model\":" + model
                        + ",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED + ",\"choices\":[" + choices + "]"
                        + tail + "}";
            }
        },
        MISTRAL(FakeUsage.DEFAULT) {
            @Override
            String usage(FakeUsage u, String cost) {
                return "{\"prompt_tokens\":" + u.promptTokens() + ",\"total_tokens\":" + (u.promptTokens() + u.completionTokens())
                        + ",\"completion_tokens\":" + u.completionTokens() + "}";
            }

            @Override
            String completion(String model, String usage) {
                return "{\"id\":\"fake-mistral\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":" + model
                        + ",\"usage\":" + usage + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"tool_calls\":null,\"content\":" + MiniJson.quote(ChatResponses.replyText())
                        + "},\"finish_reason\":\"stop\"}]}";
            }

            @Override
            ChatStream stream(String model, String usage, boolean includeUsage) {
                String open = "\"finish_reason\":null";
                return pieces(new ChatStream().data(chunk(model, choice(ROLE, "", open), "")), model, "", open, "").data(chunk(model, "{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}",
                        ",\"usage\":" + usage)).done();
            }

            @Override
            String chunk(String model, String choice, String tail) {
                return "{\"id\":\"fake-mistral\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
                        + ",\"model\":" + model + ",\"choices\":[" + choice + "]" + tail + "}";
            }
        };

        final FakeUsage defaultUsage;

        Vendor(FakeUsage defaultUsage) {
            this.defaultUsage = defaultUsage;
        }

        abstract String usage(FakeUsage u, String cost);

        abstract String completion(String quotedModel, String usage);

        abstract ChatStream stream(String quotedModel, String usage, boolean includeUsage);

        /** One chunk of the vendor's stream: {@code choices} in its array, then the vendor's {@code tail}. */
        abstract String chunk(String quotedModel, String choices, String tail);

        /** One chunk per reply piece, each with {@code choice(deltaHead, piece, rest)}; then the content ends. */
        ChatStream pieces(ChatStream s, String quotedModel, String deltaHead, String rest, String tail) {
            for (String piece : ChatResponses.REPLY_PIECES) {
                s.data(chunk(quotedModel, choice(deltaHead, piece, rest), tail));
            }
            return s.contentEnds();
        }

        /** {@code {"index":0,"delta":{<deltaHead>"content":<text>},<rest>}}. */
        static String choice(String deltaHead, String text, String rest) {
            return "{\"index\":0,\"delta\":{" + deltaHead + "\"content\":" + MiniJson.quote(text) + "}," + rest + "}";
        }

        static Vendor of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProviderRoutes.BadRequest("no OpenAI-compatible vendor is named " + name);
            }
        }
    }
}
