package dev.nullspend.agent.provider.anthropic;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.Usage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Anthropic stream usage (docs/providers/anthropic.md): message_start + cumulative message_delta. */
class AnthropicSseParserTest {

    private static final byte[] RECORDED = Feeding.resource("/providers/anthropic/messages-stream.sse");
    private static final Usage RECORDED_USAGE = new Usage(25, 0, 0, 0, 15, 0, null);
    private static final String MODEL = "claude-sonnet-4-5-20250929";

    private static String start(String usage) {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":" + usage + "}}\n\n";
    }

    private static String delta(String usage) {
        return "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":" + usage
                + "}\n\n";
    }

    private static final String TEXT = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n";

    @Test
    void recordedStream() {
        AnthropicSseParser p = parse(new AnthropicSseParser(), RECORDED);
        assertThat(p.usage()).isEqualTo(RECORDED_USAGE);
        assertThat(p.outputCounted()).isTrue();
        assertThat(p.usage().inputTokens()).isEqualTo(25);
        assertThat(p.responseModel()).isEqualTo(MODEL);
        assertThat(p.malformedLines()).isZero();
    }

    @Test
    void recordedStreamAtRandomSplitsPlainAndGzipped() {
        int runs = assertSameAtRandomSplits(RECORDED, 300, AnthropicSseParser::new, RECORDED_USAGE, MODEL);
        runs += assertSameAtRandomSplits(Feeding.gzip(RECORDED), 100,
                () -> ContentDecoding.decoding("gzip", new AnthropicSseParser()), RECORDED_USAGE, MODEL);
        for (int split = 1; split < RECORDED.length; split++) {
            AnthropicSseParser p = new AnthropicSseParser();
            Feeding.inTwo(RECORDED, split, p::feed);
            p.end();
            assertThat(p.usage()).as("split at %d", split).isEqualTo(RECORDED_USAGE);
            runs++;
        }
        assertThat(runs).isEqualTo(400 + RECORDED.length - 1);
    }

    @Test
    void crlfLineEnds() {
        byte[] crlf = new String(RECORDED, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(assertSameAtRandomSplits(crlf, 50, AnthropicSseParser::new, RECORDED_USAGE, MODEL)).isEqualTo(50);
    }

    @Test
    void messageDeltaUsageIsCumulativeTheLastOneWinsNothingIsSummed() {
        String stream = start("{\"input_tokens\":2679,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                + "\"output_tokens\":3}")
                + TEXT
                + delta("{\"input_tokens\":2679,\"output_tokens\":120,\"server_tool_use\":{\"web_search_requests\":1}}")
                + TEXT
                + delta("{\"output_tokens\":510,\"cache_read_input_tokens\":300}")
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        AnthropicSseParser p = parse(new AnthropicSseParser(), stream);
        assertThat(p.usage()).isEqualTo(new Usage(2679, 300, 0, 0, 510, 0, null));
        assertThat(p.responseModel()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void deltaOverwritesOnlyTheNumbersItCarries() {
        String stream = start("{\"input_tokens\":1000,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":300,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":2000,\"ephemeral_1h_input_tokens\":1000},\"output_tokens\":1}")
                + delta("{\"output_tokens\":500,\"input_tokens\":null,\"cache_read_input_tokens\":\"n/a\"}");
        AnthropicSseParser p = parse(new AnthropicSseParser(), stream);
        Usage u = p.usage();
        assertThat(u).isEqualTo(new Usage(1000, 300, 2000, 1000, 500, 0, null));
        assertThat(u.inputTokens()).isEqualTo(4300);
    }

    @Test
    void deltasBeforeAMessageStartUsageAreIgnored() {
        String stream = delta("{\"output_tokens\":99}") + start("{\"input_tokens\":25,\"output_tokens\":1}")
                + delta("{\"output_tokens\":15}");
        assertThat(parse(new AnthropicSseParser(), stream).usage()).isEqualTo(Usage.of(25, 15));
        assertThat(parse(new AnthropicSseParser(), delta("{\"input_tokens\":5,\"output_tokens\":99}")).usage()).isNull();
        assertThat(parse(new AnthropicSseParser(), start("{\"output_tokens\":1}") + delta("{\"output_tokens\":9}")).usage())
                .isNull();
    }

    @Test
    void aStreamCutAfterMessageStartKeepsTheExactInputAndFlagsThePlaceholderOutput() {
        String cut = start("{\"input_tokens\":3,\"cache_creation_input_tokens\":12304,\"cache_read_input_tokens\":0,"
                + "\"output_tokens\":1}") + TEXT + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tok";
        AnthropicSseParser p = parse(new AnthropicSseParser(), cut);
        assertThat(p.usage()).isEqualTo(new Usage(3, 0, 12_304, 0, 1, 0, null));
        assertThat(p.outputCounted()).as("the output count is message_start's placeholder").isFalse();
        assertThat(p.malformedLines()).isEqualTo(1);
        String recorded = new String(RECORDED, StandardCharsets.UTF_8);
        int afterMessageStart = recorded.indexOf("\n\nevent: content_block_start");
        for (int cutAt = afterMessageStart; cutAt < RECORDED.length; cutAt += 7) {
            AnthropicSseParser part = new AnthropicSseParser();
            part.feed(ByteBuffer.wrap(RECORDED, 0, cutAt));
            part.end();
            boolean counted = recorded.substring(0, cutAt).contains("\"output_tokens\":15}}");
            assertThat(part.usage()).as("cut at %d", cutAt).isEqualTo(Usage.of(25, counted ? 15 : 1));
            assertThat(part.outputCounted()).as("cut at %d", cutAt).isEqualTo(counted);
        }
    }

    @Test
    void noMessageStartMeansNoUsage() {
        AnthropicSseParser empty = parse(new AnthropicSseParser(), "");
        assertThat(empty.usage()).isNull();
        assertThat(empty.responseModel()).isNull();
        AnthropicSseParser onlyText = parse(new AnthropicSseParser(), TEXT + TEXT);
        assertThat(onlyText.usage()).isNull();
    }

    @Test
    void withoutEventLinesTheJsonTypeDecides() {
        String stream = new String(RECORDED, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("event:"))
                .reduce("", (a, b) -> a + b + "\n");
        AnthropicSseParser p = parse(new AnthropicSseParser(), stream);
        assertThat(p.usage()).isEqualTo(RECORDED_USAGE);
        assertThat(p.responseModel()).isEqualTo(MODEL);
    }

    @Test
    void textThatMentionsEventTypesChangesNothing() {
        String sneaky = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"{\\\"type\\\":\\\"message_delta\\\",\\\"usage\\\":{\\\"output_tokens\\\":999}}\"}}\n\n";
        String stream = start("{\"input_tokens\":25,\"output_tokens\":1}") + sneaky + delta("{\"output_tokens\":15}") + sneaky;
        assertThat(parse(new AnthropicSseParser(), stream).usage()).isEqualTo(Usage.of(25, 15));
        String withoutEventLines = stream.lines().filter(l -> !l.startsWith("event:")).reduce("", (a, b) -> a + b + "\n");
        assertThat(parse(new AnthropicSseParser(), withoutEventLines).usage()).isEqualTo(Usage.of(25, 15));
    }

    @Test
    void errorEventsAndMalformedLinesAreSkipped() {
        String stream = start("{\"input_tokens\":25,\"output_tokens\":1}")
                + "event: message_delta\ndata: {not json\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        AnthropicSseParser p = parse(new AnthropicSseParser(), stream);
        assertThat(p.usage()).isEqualTo(Usage.of(25, 1));
        assertThat(p.malformedLines()).isEqualTo(1);
    }
}
