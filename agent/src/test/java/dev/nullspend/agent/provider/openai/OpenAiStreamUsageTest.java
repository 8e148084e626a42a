package dev.nullspend.agent.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.provider.ContentDecoding;
import dev.nullspend.agent.provider.Feeding;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenAiStreamUsageTest {

    static final byte[] RECORDED = Feeding.resource("/providers/openai/chat-stream.sse");
    private static final String RECORDED_TEXT = new String(RECORDED, StandardCharsets.UTF_8);
    private static final Usage RECORDED_USAGE = new Usage(22, 0, 0, 0, 3, 0, null);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    private static JsonStreamParser parser() {
        return JsonStreamParser.sse(OpenAiUsage.CHAT);
    }

    private static JsonStreamParser parse(String text) {
        JsonStreamParser p = parser();
        p.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        p.end();
        return p;
    }

    private static String chunk(String choices, String usage) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m-1\",\"choices\":" + choices
                + ",\"usage\":" + usage + "}\n\n";
    }

    @Test
    void recordedStreamGivesItsUsageAndModel() {
        JsonStreamParser p = parser();
        p.feed(ByteBuffer.wrap(RECORDED));
        p.end();
        assertThat(p.usage()).isEqualTo(RECORDED_USAGE);
        assertThat(p.usage().inputTokens()).isEqualTo(22);
        assertThat(p.usage().output()).isEqualTo(3);
        assertThat(p.responseModel()).isEqualTo(MODEL);
        assertThat(p.malformedDocuments()).isZero();
    }

    @Test
    void sameUsageAtRandomSplitsPlainAndGzipped() {
        byte[] gzipped = Feeding.gzip(RECORDED);
        int runs = 0;
        for (int split = 1; split < RECORDED.length; split++) {
            JsonStreamParser p = parser();
            Feeding.inTwo(RECORDED, split, p::feed);
            p.end();
            assertThat(p.usage()).as("split at %d", split).isEqualTo(RECORDED_USAGE);
            assertThat(p.responseModel()).isEqualTo(MODEL);
            runs++;
        }
        for (int seed = 0; seed < 300; seed++) {
            JsonStreamParser plain = parser();
            Feeding.randomly(RECORDED, new Random(seed), plain::feed);
            plain.end();
            assertThat(plain.usage()).as("seed %d", seed).isEqualTo(RECORDED_USAGE);
            assertThat(plain.responseModel()).isEqualTo(MODEL);

            UsageParser decoded = ContentDecoding.decoding("gzip", parser());
            Feeding.randomly(gzipped, new Random(seed), decoded::feed);
            decoded.end();
            assertThat(decoded.usage()).as("gzip seed %d", seed).isEqualTo(RECORDED_USAGE);
            assertThat(decoded.responseModel()).isEqualTo(MODEL);
            runs += 2;
        }
        for (byte[] bytes : new byte[][] {RECORDED, gzipped}) {
            UsageParser oneByOne = ContentDecoding.decoding(bytes == gzipped ? "gzip" : null, parser());
            Feeding.inChunks(bytes, 1, oneByOne::feed);
            oneByOne.end();
            assertThat(oneByOne.usage()).isEqualTo(RECORDED_USAGE);
            runs++;
        }
        assertThat(runs).isGreaterThanOrEqualTo(500);
    }

    @Test
    void crlfAndLoneCrLineEnds() {
        for (String eol : new String[] {"\r\n", "\r"}) {
            byte[] bytes = RECORDED_TEXT.replace("\n", eol).getBytes(StandardCharsets.UTF_8);
            for (int size : new int[] {1, 2, 3, 17, bytes.length}) {
                JsonStreamParser p = parser();
                Feeding.inChunks(bytes, size, p::feed);
                p.end();
                assertThat(p.usage()).isEqualTo(RECORDED_USAGE);
                assertThat(p.responseModel()).isEqualTo(MODEL);
            }
        }
    }

    @Test
    void usageOnAChunkThatAlsoHasChoicesCounts() {
        String stream = chunk("[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]", "null")
                + chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]",
                        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}")
                + "data: [DONE]\n\n";
        JsonStreamParser p = parse(stream);
        assertThat(p.usage()).isEqualTo(Usage.of(10, 2));
        assertThat(p.responseModel()).isEqualTo("m-1");
    }

    @Test
    void lastNonNullUsageWins() {
        String stream = chunk("[]", "{\"prompt_tokens\":1,\"completion_tokens\":1}")
                + chunk("[]", "{\"prompt_tokens\":5,\"completion_tokens\":7}")
                + chunk("[]", "null")
                + chunk("[]", "{\"completion_tokens\":9}");
        assertThat(parse(stream).usage()).isEqualTo(Usage.of(5, 7));
    }

    @Test
    void nullUsageEverywhereMeansNoUsage() {
        String stream = chunk("[{\"index\":0,\"delta\":{\"content\":\"a\"}}]", "null")
                + chunk("[{\"index\":0,\"delta\":{\"content\":\"b\"}}]", " null")
                + chunk("[]", "null") + "data: [DONE]\n\n";
        JsonStreamParser p = parse(stream);
        assertThat(p.usage()).isNull();
        assertThat(p.responseModel()).isEqualTo("m-1");
    }

    @Test
    void noUsageWithoutIncludeUsageAndEmptyStreams() {
        String withoutUsage = RECORDED_TEXT.lines().filter(l -> !l.contains("\"prompt_tokens\""))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(parse(withoutUsage).usage()).isNull();
        JsonStreamParser empty = parse("");
        assertThat(empty.usage()).isNull();
        assertThat(empty.responseModel()).isNull();
    }

    @Test
    void malformedLinesAreSkipped() {
        String stream = "data: {\"model\":\n\n"
                + "data: not json at all\n\n"
                + "data: {\"model\":\"m-2\",\"usage\":{\"prompt_tokens\":3,]}\n\n"
                + chunk("[]", "{\"prompt_tokens\":4,\"completion_tokens\":1}")
                + "data: {\"usage\":{\"prompt_tokens\":99,\"completion_tokens\":99}} trailing\n\n"
                + "data: {\"usage\":{\"prompt_tokens\":98\n\n";
        JsonStreamParser p = parse(stream);
        assertThat(p.usage()).isEqualTo(Usage.of(4, 1));
        assertThat(p.responseModel()).isEqualTo("m-1");
        assertThat(p.malformedDocuments()).isEqualTo(5);
    }

    @Test
    void linesLongerThanTheBoundAreParsedAsTheyPass() {
        String huge = "data: {\"model\":\"m-1\",\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(2 * 1024 * 1024)
                + "\"}}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000}}\n\n";
        byte[] usageLast = (chunk("[]", "null") + huge).getBytes(StandardCharsets.UTF_8);
        byte[] usageAfter = (chunk("[]", "null") + huge + chunk("[]", "{\"prompt_tokens\":6,\"completion_tokens\":2}"))
                .getBytes(StandardCharsets.UTF_8);
        for (int size : new int[] {8192, 1_000_000, usageAfter.length}) {
            JsonStreamParser last = parser();
            Feeding.inChunks(usageLast, size, last::feed);
            last.end();
            assertThat(last.usage()).isEqualTo(Usage.of(1000, 1000));
            assertThat(last.oversizedLines()).isZero();
            JsonStreamParser after = parser();
            Feeding.inChunks(usageAfter, size, after::feed);
            after.end();
            assertThat(after.usage()).isEqualTo(Usage.of(6, 2));
        }
    }

    @Test
    void multiByteUtf8SplitAcrossReads() {
        String stream = "data: {\"model\":\"m-€\",\"choices\":[{\"delta\":{\"content\":\"€ 😀 ü\"}}],\"usage\":null}\n\n"
                + "data: {\"model\":\"m-€\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,"
                + "\"note\":\"€😀\"}}\n\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            JsonStreamParser p = parser();
            Feeding.inTwo(bytes, split, p::feed);
            p.end();
            assertThat(p.usage()).isEqualTo(Usage.of(12, 4));
            assertThat(p.responseModel()).isEqualTo("m-€");
        }
    }

    @Test
    void cachedAndReasoningTokensInAStream() {
        String stream = chunk("[]", "{\"prompt_tokens\":2006,\"completion_tokens\":300,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1920},\"completion_tokens_details\":{\"reasoning_tokens\":120}}");
        assertThat(parse(stream).usage()).isEqualTo(new Usage(86, 1920, 0, 0, 300, 120, null));
    }

    @Test
    void modelIsTheFirstNonEmptyOne() {
        String stream = "data: {\"model\":null,\"usage\":null}\n\n"
                + "data: {\"choices\":[],\"model\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\n"
                + "data: {\"model\":\"first\",\"usage\":null}\n\n"
                + "data: {\"model\":\"second\",\"usage\":{\"prompt_tokens\":1}}\n\n";
        JsonStreamParser p = parse(stream);
        assertThat(p.responseModel()).isEqualTo("first");
        assertThat(p.usage()).isEqualTo(Usage.of(1, 0));
    }
}
