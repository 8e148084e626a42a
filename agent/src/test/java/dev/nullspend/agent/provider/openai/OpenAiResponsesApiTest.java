package dev.nullspend.agent.provider.openai;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static dev.nullspend.agent.provider.TestExchanges.exchange;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.pricing.CostCalculator;
import dev.nullspend.agent.pricing.PriceTable;
import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import org.junit.jupiter.api.Test;

/** The Responses API (docs/providers/openai.md#responses). */
class OpenAiResponsesApiTest {

    private static final OpenAiResponsesApi API = new OpenAiResponsesApi(ProviderHosts.BUILT_IN);
    private static final byte[] PLAIN = Feeding.resource("/providers/openai/responses-plain.json");
    private static final byte[] STREAM = Feeding.resource("/providers/openai/responses-stream.sse");
    private static final Usage SAMPLE_USAGE = new Usage(2, 0, 0, 0, 1, 0, null);
    private static final String MODEL = "gpt-4o-2024-08-06";

    private static LlmRequest streamed() {
        return API.recognize(post("https://api.openai.com/v1/responses",
                "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"max_output_tokens\":500}"));
    }

    private static String event(String type, String response) {
        return "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":9,\"response\":" + response + "}\n\n";
    }

    @Test
    void recognition() {
        LlmRequest r = streamed();
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.endpoint()).isEqualTo("responses");
        assertThat(r.model()).isEqualTo("gpt-4o");
        assertThat(r.stream()).isTrue();
        assertThat(r.maxOutputTokens()).isEqualTo(500L);
        assertThat(API.recognize(post("https://gw.example.com/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}")))
                .isNotNull();
        assertThat(API.recognize(post("https://app.example.com/api/form/responses", "{\"answers\":[1,2]}"))).isNull();
        assertThat(API.recognize(post("https://app.example.com/api/form/responses", "{\"model\":\"x\",\"input\":7}"))).isNull();
        assertThat(API.recognize(exchange("GET", "https://api.openai.com/v1/responses/resp_1", null))).isNull();
        assertThat(API.recognize(post("https://api.openai.com/v1/responses/resp_1/cancel", "{}"))).isNull();
    }

    @Test
    void parserByContentType() {
        LlmRequest r = streamed();
        assertThat(r.newParser("text/event-stream")).isInstanceOf(JsonStreamParser.class);
        assertThat(r.newParser(null)).isInstanceOf(JsonStreamParser.class);
        assertThat(r.newParser("application/json")).isInstanceOf(JsonBodyParser.class);
    }

    @Test
    void plainBodyUsageAndCost() {
        UsageParser p = parse(streamed().newParser("application/json"), PLAIN);
        assertThat(p.usage()).isEqualTo(SAMPLE_USAGE);
        assertThat(p.responseModel()).isEqualTo(MODEL);
        // gpt-4o: 2 × 2.50 + 1 × 10 = 15 µ$.
        assertThat(CostCalculator.cost(PriceTable.bundled().resolve("openai", "gpt-4o", MODEL), p.usage()).totalMicros())
                .isEqualTo(15);
    }

    @Test
    void recordedStreamAtRandomSplitsPlainAndGzipped() {
        assertThat(parse(streamed().newParser("text/event-stream"), STREAM).usage()).isEqualTo(SAMPLE_USAGE);
        int runs = assertSameAtRandomSplits(STREAM, 300, () -> streamed().newParser("text/event-stream"), SAMPLE_USAGE, MODEL);
        runs += assertSameAtRandomSplits(Feeding.gzip(STREAM), 100,
                () -> ContentDecoding.decoding("gzip", streamed().newParser("text/event-stream")), SAMPLE_USAGE, MODEL);
        assertThat(runs).isEqualTo(400);
    }

    @Test
    void incompleteAndFailedResponsesAreBilledToo() {
        String usage = "\"usage\":{\"input_tokens\":2006,\"input_tokens_details\":{\"cached_tokens\":1920},"
                + "\"output_tokens\":300,\"output_tokens_details\":{\"reasoning_tokens\":120},\"total_tokens\":2306}";
        Usage expected = new Usage(86, 1920, 0, 0, 300, 120, null);
        for (String terminal : new String[] {"response.incomplete", "response.failed", "response.completed"}) {
            String stream = event("response.created", "{\"model\":\"o3-2025-04-16\",\"status\":\"in_progress\",\"usage\":null}")
                    + event("response.in_progress", "{\"model\":\"o3-2025-04-16\",\"usage\":null}")
                    + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"\\\"usage\\\":{\"}\n\n"
                    + event(terminal, "{\"model\":\"o3-2025-04-16\",\"status\":\"x\"," + usage + "}");
            UsageParser p = parse(streamed().newParser("text/event-stream"), stream);
            assertThat(p.usage()).as(terminal).isEqualTo(expected);
            assertThat(p.responseModel()).isEqualTo("o3-2025-04-16");
        }
    }

    @Test
    void aStreamCutBeforeItsTerminalEventHasNoUsage() {
        String cut = event("response.created", "{\"model\":\"gpt-4o\",\"usage\":null}")
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"hel\"}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":2";
        UsageParser p = parse(streamed().newParser("text/event-stream"), cut);
        assertThat(p.usage()).isNull();
        assertThat(p.responseModel()).isEqualTo("gpt-4o");
    }

    @Test
    void usageAtTheTopLevelOfAStreamEventIsNotTheResponses() {
        String stream = "data: {\"type\":\"response.completed\",\"usage\":{\"input_tokens\":5,\"output_tokens\":5}}\n\n";
        assertThat(parse(streamed().newParser("text/event-stream"), stream).usage()).isNull();
    }
}
