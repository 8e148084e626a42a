package dev.nullspend.agent.provider.google;

import static dev.nullspend.agent.provider.Feeding.assertSameAtRandomSplits;
import static dev.nullspend.agent.provider.Feeding.parse;
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
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Gemini usageMetadata in plain bodies, SSE streams and streamed JSON arrays (docs/providers/google.md). */
class GeminiUsageTest {

    private static final byte[] PLAIN = Feeding.resource("/providers/google/generate-plain.json");
    private static final byte[] SSE = Feeding.resource("/providers/google/stream.sse");
    private static final byte[] ARRAY = Feeding.resource("/providers/google/stream.json");
    /** Billed: 8 input, 2 candidates + 98 thoughts = 100 output. */
    private static final Usage STREAM_USAGE = new Usage(8, 0, 0, 0, 100, 98, null);
    private static final PriceTable PRICES = PriceTable.bundled();

    private static LlmRequest streamed() {
        return new GeminiApi(ProviderHosts.BUILT_IN).recognize(post(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "{}"));
    }

    private static UsageParser sse() {
        return streamed().newParser("text/event-stream");
    }

    private static UsageParser array() {
        return streamed().newParser("application/json; charset=UTF-8");
    }

    private static long micros(LlmRequest request, UsageParser parsed) {
        return CostCalculator.cost(PRICES.resolve(request.provider(), request.model(), parsed.responseModel()),
                parsed.usage()).totalMicros();
    }

    @Test
    void plainResponseThoughtsAreAddedToOutput() {
        LlmRequest r = new GeminiApi(ProviderHosts.BUILT_IN).recognize(post(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent", "{}"));
        UsageParser p = parse(r.newParser("application/json"), PLAIN);
        assertThat(p.usage()).isEqualTo(new Usage(55_021, 0, 0, 0, 1_708, 785, null));
        assertThat(p.responseModel()).isEqualTo("gemini-2.5-pro");
        // Vector #17: 55,021 × 1.25 + 1,708 × 10 = 85,856.25 → 85,856 µ$ (candidates only would give 78,006).
        assertThat(micros(r, p)).isEqualTo(85_856);
    }

    @Test
    void sseStreamLastUsageMetadataWins() {
        UsageParser p = parse(sse(), SSE);
        assertThat(p.usage()).isEqualTo(STREAM_USAGE);
        assertThat(p.responseModel()).isEqualTo("gemini-2.5-flash");
        // Vector #18: 8 × 0.30 + 100 × 2.50 = 252.4 → 252 µ$.
        assertThat(micros(streamed(), p)).isEqualTo(252);
    }

    @Test
    void aStreamCutBeforeItsLastChunkHasNoOutputCountYet() {
        String sse = new String(SSE, StandardCharsets.UTF_8);
        int secondEvent = sse.indexOf("data:", 1); // the recording has CRLF line ends
        byte[] firstChunkOnly = sse.substring(0, secondEvent).getBytes(StandardCharsets.UTF_8);

        UsageParser cut = parse(sse(), firstChunkOnly);
        assertThat(cut.usage()).isEqualTo(new Usage(8, 0, 0, 0, 0, 0, null));
        assertThat(cut.outputCounted()).as("the first chunk carries the prompt count only").isFalse();
        assertThat(cut.omitsZeroOutput()).as("a finished stream without a count means zero output").isTrue();

        UsageParser whole = parse(sse(), SSE);
        assertThat(whole.outputCounted()).isTrue();
        UsageParser gzipped = parse(ContentDecoding.decoding("gzip", sse()), Feeding.gzip(firstChunkOnly));
        assertThat(gzipped.outputCounted()).as("through a decoding wrapper").isFalse();
        assertThat(gzipped.omitsZeroOutput()).isTrue();
    }

    @Test
    void jsonArrayStreamGivesTheSameUsage() {
        UsageParser p = parse(array(), ARRAY);
        assertThat(p.usage()).isEqualTo(STREAM_USAGE);
        assertThat(p.responseModel()).isEqualTo("gemini-2.5-flash");
        assertThat(((JsonStreamParser) p).malformedDocuments()).isZero();
    }

    @Test
    void bothStreamFormsAtRandomSplits() {
        int runs = assertSameAtRandomSplits(SSE, 300, GeminiUsageTest::sse, STREAM_USAGE, "gemini-2.5-flash");
        runs += assertSameAtRandomSplits(ARRAY, 300, GeminiUsageTest::array, STREAM_USAGE, "gemini-2.5-flash");
        runs += assertSameAtRandomSplits(Feeding.gzip(ARRAY), 100,
                () -> ContentDecoding.decoding("gzip", array()), STREAM_USAGE, "gemini-2.5-flash");
        runs += assertSameAtRandomSplits(PLAIN, 100,
                () -> new JsonBodyParser(GeminiUsage.FORMAT), new Usage(55_021, 0, 0, 0, 1_708, 785, null), "gemini-2.5-pro");
        assertThat(runs).isEqualTo(800);
    }

    @Test
    void cachedContentIsInsideThePrompt() {
        UsageParser p = parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{\"promptTokenCount\":10000,"
                + "\"cachedContentTokenCount\":8000,\"candidatesTokenCount\":100,\"totalTokenCount\":10100},"
                + "\"modelVersion\":\"gemini-2.5-flash\"}");
        assertThat(p.usage()).isEqualTo(new Usage(2_000, 8_000, 0, 0, 100, 0, null));
        assertThat(p.usage().inputTokens()).isEqualTo(10_000);
        // Vector #19: 2,000 × 0.30 + 8,000 × 0.03 + 100 × 2.50 = 1,090 µ$.
        assertThat(micros(streamed(), p)).isEqualTo(1_090);
    }

    @Test
    void fullyCachedPromptRoundsOnce() {
        LlmRequest r = new GeminiApi(ProviderHosts.BUILT_IN).recognize(post(
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-lite:generateContent", "{}"));
        UsageParser p = parse(r.newParser("application/json"), "{\"usageMetadata\":{\"promptTokenCount\":1000,"
                + "\"cachedContentTokenCount\":1000}}");
        assertThat(p.usage()).isEqualTo(new Usage(0, 1_000, 0, 0, 0, 0, null));
        // Vector #22: 1,000 × 0.01875 = 18.75 → 19 µ$.
        assertThat(micros(r, p)).isEqualTo(19);
    }

    @Test
    void toolUsePromptTokensAreBilledAsInput() {
        UsageParser p = parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{\"promptTokenCount\":100,"
                + "\"candidatesTokenCount\":20,\"toolUsePromptTokenCount\":400,\"totalTokenCount\":520}}");
        assertThat(p.usage()).isEqualTo(new Usage(500, 0, 0, 0, 20, 0, null));
    }

    @Test
    void usageNeedsACountAndAClosedObject() {
        assertThat(parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{}}").usage()).isNull();
        assertThat(parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{\"totalTokenCount\":5}}").usage()).isNull();
        assertThat(parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{\"promptTokenCount\":5").usage()).isNull();
        assertThat(parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"candidates\":[]}").usage()).isNull();
        assertThat(parse(new JsonBodyParser(GeminiUsage.FORMAT), "{\"usageMetadata\":{\"candidatesTokenCount\":5}}").usage())
                .isEqualTo(Usage.of(0, 5));
    }

    @Test
    void aStreamCutMidElementKeepsTheLastCompleteUsage() {
        String text = new String(ARRAY, StandardCharsets.UTF_8);
        byte[] cut = text.substring(0, text.lastIndexOf("\"thoughtsTokenCount\"")).getBytes(StandardCharsets.UTF_8);
        UsageParser p = parse(array(), cut);
        assertThat(p.usage()).isEqualTo(Usage.of(8, 0));
        assertThat(((JsonStreamParser) p).malformedDocuments()).isEqualTo(1);
        assertThat(parse(array(), "[").usage()).isNull();
        assertThat(parse(sse(), "").usage()).isNull();
    }

    @Test
    void chunksLargerThan64KilobytesAreRead() {
        chunksOfSizeAreRead(300 * 1024);
    }

    @Test
    void chunksWithAnInlineImageOfMegabytesAreRead() {
        chunksOfSizeAreRead(3 * 1024 * 1024);
    }

    private void chunksOfSizeAreRead(int textLength) {
        String big = "x".repeat(textLength);
        String chunk1 = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + big + "\"}],\"role\":\"model\"}}],"
                + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}";
        String chunk2 = "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
                + big + "\"}}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":8,"
                + "\"candidatesTokenCount\":1290,\"totalTokenCount\":1298},\"modelVersion\":\"gemini-2.5-flash\"}";
        byte[] sse = ("data: " + chunk1 + "\r\n\r\ndata: " + chunk2 + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] array = ("[" + chunk1 + ",\r\n" + chunk2 + "]").getBytes(StandardCharsets.UTF_8);
        Usage expected = Usage.of(8, 1290);
        for (int chunkSize : new int[] {8192, 65_536, sse.length}) {
            UsageParser s = sse();
            Feeding.inChunks(sse, chunkSize, s::feed);
            s.end();
            assertThat(s.usage()).isEqualTo(expected);
            assertThat(((JsonStreamParser) s).oversizedLines()).isZero();
            UsageParser a = array();
            Feeding.inChunks(array, chunkSize, a::feed);
            a.end();
            assertThat(a.usage()).isEqualTo(expected);
        }
    }

    @Test
    void everySseChunkIsAResponseTheLastCountsEvenWithoutUsageRepeatedInBetween() {
        String stream = "data: {\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}\n\n"
                + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\"modelVersion\":\"gemini-2.5-flash\"}\n\n"
                + "data: {\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":3,"
                + "\"thoughtsTokenCount\":4},\"modelVersion\":\"gemini-2.5-flash\"}\n\n"
                + "data: {\"candidates\":[],\"usageMetadata\":null}\n\n";
        assertThat(parse(sse(), stream).usage()).isEqualTo(new Usage(8, 0, 0, 0, 7, 4, null));
    }
}
