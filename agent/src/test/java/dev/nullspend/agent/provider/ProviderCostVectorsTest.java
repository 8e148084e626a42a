package dev.nullspend.agent.provider;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.pricing.Cost;
import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.bedrock.EventStreamMessages;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cost vectors of docs/providers/cost-vectors.md, each through the whole provider path: the request is
 * recognised by {@link Providers#defaults()}, the provider's own response (plain, and streamed
 * where the vector allows) is parsed by the parser the API picks for its content type, and the
 * usage is priced with the bundled table as the core does ({@code resolve(provider, request
 * model, response model)}, then {@link CostCalculator}). #24 and #25 (no usage, unknown model)
 * are the core's and the pricing tests' business.
 */
class ProviderCostVectorsTest {

    private static final Providers PROVIDERS = Providers.defaults();
    private static final PriceTable PRICES = PriceTable.bundled();
    private static final String SSE = "text/event-stream";
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /** One provider response and what it must cost; {@code input}/{@code cached} are the event's token fields. */
    record Vector(String name, String url, String requestBody, String contentType, byte[] response,
                  long micros, long input, long cached, long output) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                vector("#1 OpenAI stream fixture", chat("gpt-4o-mini", true), SSE,
                        Feeding.resource("/providers/openai/chat-stream.sse"), 5, 22, 0, 3),
                vector("#2 OpenAI cached", chat("gpt-4o", false), JSON, openAi(2006, 1920, 300, 0), 5_615, 2006, 1920, 300),
                vector("#3 OpenAI cached (doc example)", chat("gpt-4o", false), JSON, openAi(1000, 200, 500, 0), 7_250, 1000, 200, 500),
                vector("#4 OpenAI plain", chat("gpt-4o", false), JSON, openAi(1000, 0, 500, 0), 7_500, 1000, 0, 500),
                vector("#5 OpenAI cached", chat("gpt-4o", false), JSON, openAi(1000, 400, 500, 0), 7_000, 1000, 400, 500),
                vector("#6 OpenAI reasoning", chat("o3", false), JSON, openAi(1000, 0, 500, 200), 6_000, 1000, 0, 500),
                anthropic("#7 cache write", "claude-3-7-sonnet-20250219",
                        "\"input_tokens\":3,\"cache_creation_input_tokens\":12304,\"cache_read_input_tokens\":0", 550, 54_399, 12_307, 0),
                anthropic("#8 cache read (doc example)", "claude-sonnet-4-5",
                        "\"input_tokens\":5000,\"cache_read_input_tokens\":1000", 2000, 45_300, 6000, 1000),
                anthropic("#9 TTL split", "claude-sonnet-4-5", "\"input_tokens\":100,\"cache_creation_input_tokens\":10000,"
                        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":4000,\"ephemeral_1h_input_tokens\":6000}", 200, 54_300, 10_100, 0),
                anthropic("#10 long context", "claude-sonnet-4-5",
                        "\"input_tokens\":150000,\"cache_read_input_tokens\":60000", 1000, 958_500, 210_000, 60_000),
                anthropic("#11 plain", "claude-sonnet-4-5", "\"input_tokens\":1000", 500, 10_500, 1000, 0),
                anthropic("#12 cache read", "claude-sonnet-4-5",
                        "\"input_tokens\":1000,\"cache_read_input_tokens\":300", 500, 10_590, 1300, 300),
                anthropic("#13 cache write, no split", "claude-sonnet-4-5",
                        "\"input_tokens\":1000,\"cache_creation_input_tokens\":2000", 500, 18_000, 3000, 0),
                anthropic("#14 cache write split", "claude-sonnet-4-5", "\"input_tokens\":1000,\"cache_creation_input_tokens\":3000,"
                        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":2000,\"ephemeral_1h_input_tokens\":1000}", 500, 24_000, 4000, 0),
                anthropic("#15 exactly 200,000 is not long", "claude-sonnet-4-5", "\"input_tokens\":200000", 100, 601_500, 200_000, 0),
                anthropic("#16 200,001 is long", "claude-sonnet-4-5", "\"input_tokens\":200001", 1000, 1_222_506, 200_001, 0),
                vector("#17 Gemini thoughts", gemini("gemini-2.5-pro", false), JSON,
                        Feeding.resource("/providers/google/generate-plain.json"), 85_856, 55_021, 0, 1_708),
                vector("#18 Gemini SSE", gemini("gemini-2.5-flash", true), SSE,
                        Feeding.resource("/providers/google/stream.sse"), 252, 8, 0, 100),
                vector("#18 Gemini JSON-array stream", gemini("gemini-2.5-flash", true), "application/json; charset=UTF-8",
                        Feeding.resource("/providers/google/stream.json"), 252, 8, 0, 100),
                vector("#19 Gemini cached", gemini("gemini-2.5-flash", false), JSON, bytes("{\"usageMetadata\":{"
                        + "\"promptTokenCount\":10000,\"cachedContentTokenCount\":8000,\"candidatesTokenCount\":100},"
                        + "\"modelVersion\":\"gemini-2.5-flash\"}"), 1_090, 10_000, 8_000, 100),
                vector("#20 Embeddings", new String[] {"https://api.openai.com/v1/embeddings",
                        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"]}"}, JSON, bytes("{\"object\":\"list\",\"data\":[],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1000000,\"total_tokens\":1000000}}"),
                        20_000, 1_000_000, 0, 0),
                vector("#21 sub-µ$ precision", chat("gpt-5-nano", false), JSON, openAi(1100, 1000, 10, 0), 14, 1100, 1000, 10),
                vector("#22 rounding", gemini("gemini-2.0-flash-lite", false), JSON, bytes("{\"usageMetadata\":{"
                        + "\"promptTokenCount\":1000,\"cachedContentTokenCount\":1000}}"), 19, 1000, 1000, 0),
                vector("#23 OpenRouter reported cost", new String[] {"https://openrouter.ai/api/v1/chat/completions",
                        "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}"}, JSON, bytes("{\"id\":\"gen-1\","
                        + "\"model\":\"openai/gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,"
                        + "\"total_tokens\":120,\"cost\":0.000027,\"prompt_tokens_details\":{\"cached_tokens\":0,"
                        + "\"cache_write_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}"),
                        27, 100, 0, 20),
                converse("#26 Bedrock Converse, global profile", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                        "\"inputTokens\":1200,\"outputTokens\":300,\"cacheReadInputTokens\":2000,\"cacheWriteInputTokens\":500",
                        10_575, 3700, 2000, 300),
                converse("#27 Bedrock Converse, geographic profile (+10 %)", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                        "\"inputTokens\":1200,\"outputTokens\":300,\"cacheReadInputTokens\":2000,\"cacheWriteInputTokens\":500",
                        11_633, 3700, 2000, 300),
                converse("#28 Bedrock Converse, Nova Pro", "amazon.nova-pro-v1:0",
                        "\"inputTokens\":1000,\"outputTokens\":500", 2_400, 1000, 0, 500),
                vector("#29 Bedrock InvokeModel, Anthropic body, in-region Haiku 4.5 (+10 %)",
                        bedrock("anthropic.claude-haiku-4-5-20251001-v1:0", "invoke",
                                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1024,\"messages\":[]}"),
                        JSON, bytes("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[],\"usage\":{\"input_tokens\":2000,"
                                + "\"output_tokens\":400}}"), 4_400, 2000, 0, 400),
                vector("#30 Bedrock InvokeModelWithResponseStream, Anthropic events",
                        bedrock("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "invoke-with-response-stream",
                                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1024,\"messages\":[]}"),
                        EVENT_STREAM, EventStreamMessages.concat(
                                EventStreamMessages.chunk("{\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
                                        + "\"usage\":{\"input_tokens\":3000,\"cache_read_input_tokens\":1000,\"output_tokens\":1}}}"),
                                EventStreamMessages.chunk("{\"type\":\"content_block_delta\",\"index\":0,"
                                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"),
                                EventStreamMessages.chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                                        + "\"usage\":{\"output_tokens\":250}}"),
                                EventStreamMessages.chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":"
                                        + "{\"inputTokenCount\":3000,\"outputTokenCount\":250}}")),
                        13_050, 4000, 1000, 250),
                converse("#31 Bedrock ConverseStream, 1-hour cache write, earlier model (no premium)",
                        "anthropic.claude-3-7-sonnet-20250219-v1:0", "\"inputTokens\":100,\"outputTokens\":50,"
                                + "\"cacheWriteInputTokens\":4000,\"cacheDetails\":[{\"ttl\":\"1h\",\"inputTokens\":4000}]",
                        25_050, 4100, 0, 50))
                .flatMap(v -> v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void pricesTheVectorThroughItsParser(Vector v) {
        LlmRequest request = PROVIDERS.recognize(post(v.url(), v.requestBody()));
        assertThat(request).isNotNull();
        UsageParser parser = Feeding.parse(request.newParser(v.contentType()), v.response());
        assertUsageAndCost(v, request, parser);
        // The same at random boundaries, gzipped half of the time.
        Feeding.atRandomSplitsGzippedAndNot(v.response(), () -> request.newParser(v.contentType()),
                (split, seed) -> assertUsageAndCost(v, request, split));
    }

    private static void assertUsageAndCost(Vector v, LlmRequest request, UsageParser parser) {
        Usage usage = parser.usage();
        assertThat(usage).isNotNull();
        assertThat(usage.inputTokens()).as("inputTokens").isEqualTo(v.input());
        assertThat(usage.cacheRead()).as("cachedInputTokens").isEqualTo(v.cached());
        assertThat(usage.output()).as("outputTokens").isEqualTo(v.output());
        Cost cost = CostCalculator.cost(PRICES.resolve(request.provider(), request.model(), parser.responseModel()), usage);
        assertThat(cost.totalMicros()).isEqualTo(v.micros());
    }

    private static Stream<Arguments> vector(String name, String[] request, String contentType, byte[] response, long micros,
                                            long input, long cached, long output) {
        return Stream.of(Arguments.of(new Vector(name, request[0], request[1], contentType, response, micros, input, cached,
                output)));
    }

    /** An Anthropic vector as a plain body and as a stream (message_start usage, then a message_delta with the output). */
    private static Stream<Arguments> anthropic(String name, String model, String inputFields, long output, long micros,
                                               long input, long cached) {
        String[] plainRequest = {"https://api.anthropic.com/v1/messages",
                "{\"model\":\"" + model + "\",\"max_tokens\":4096,\"messages\":[]}"};
        String[] streamRequest = {"https://api.anthropic.com/v1/messages",
                "{\"model\":\"" + model + "\",\"max_tokens\":4096,\"stream\":true,\"messages\":[]}"};
        byte[] plain = bytes("{\"model\":\"" + model + "\",\"id\":\"msg_1\",\"type\":\"message\",\"content\":[],"
                + "\"usage\":{" + inputFields + ",\"output_tokens\":" + output + "}}");
        byte[] stream = bytes("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"model\":\"" + model + "\",\"content\":[],\"usage\":{" + inputFields + ",\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":" + output + "}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return Stream.concat(
                vector("Anthropic " + name, plainRequest, JSON, plain, micros, input, cached, output),
                vector("Anthropic " + name + " (stream)", streamRequest, SSE, stream, micros, input, cached, output));
    }

    /** A Bedrock Converse vector as a plain body and as a ConverseStream whose {@code metadata} event has the same usage. */
    private static Stream<Arguments> converse(String name, String model, String usageFields, long micros, long input,
                                              long cached, long output) {
        String body = "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":1024}}";
        byte[] plain = bytes("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}]}},"
                + "\"stopReason\":\"end_turn\",\"usage\":{" + usageFields + "},\"metrics\":{\"latencyMs\":100}}");
        byte[] stream = EventStreamMessages.concat(
                EventStreamMessages.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamMessages.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                EventStreamMessages.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                EventStreamMessages.event("metadata", "{\"usage\":{" + usageFields + "},\"metrics\":{\"latencyMs\":100}}"));
        return Stream.concat(
                vector(name, bedrock(model, "converse", body), JSON, plain, micros, input, cached, output),
                vector(name + " (stream)", bedrock(model, "converse-stream", body), EVENT_STREAM, stream, micros, input, cached,
                        output));
    }

    /** A Bedrock request: the model id percent-encoded in the path, as the AWS SDK writes it. */
    private static String[] bedrock(String model, String operation, String body) {
        return new String[] {"https://bedrock-runtime.us-east-1.amazonaws.com/model/" + model.replace(":", "%3A") + "/"
                + operation, body};
    }

    private static String[] chat(String model, boolean stream) {
        return new String[] {"https://api.openai.com/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[],\"stream\":" + stream + "}"};
    }

    private static String[] gemini(String model, boolean stream) {
        return new String[] {"https://generativelanguage.googleapis.com/v1beta/models/" + model + ":"
                + (stream ? "streamGenerateContent" : "generateContent"), "{\"contents\":[]}"};
    }

    private static byte[] openAi(long prompt, long cached, long completion, long reasoning) {
        return bytes("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached
                + "},\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning + "}}}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
