package dev.nullspend.agent.report;

import dev.nullspend.api.CostEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CostEventJsonTest {

    static final Instant CREATED_AT = Instant.parse("2026-11-28T19:00:00.123Z");

    static CostEvent fullEvent() {
        return CostEvent.builder()
                .provider("openai").model("gpt-4o")
                .inputTokens(1000).outputTokens(500).cachedInputTokens(400).reasoningTokens(20)
                .costMicrodollars(7000)
                .costBreakdown(new CostEvent.Breakdown(1500, 5000, 500, 200))
                .durationMs(812L)
                .sessionId("checkout-7")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .eventType(CostEvent.Type.LLM)
                .tag("team", "search").tag("env", "prod")
                .customer("acme")
                .idempotencyKey("ns_6f1d7a52-0d0e-4c53-9d3e-0a1c5b8e2f10")
                .createdAt(CREATED_AT)
                .build();
    }

    @Test
    void writesAllFieldsInWireOrder() {
        CostEvent tool = CostEvent.builder().provider("tool").model("web_search").costMicrodollars(20000)
                .eventType(CostEvent.Type.TOOL).toolName("web_search").toolServer("mcp-search")
                .createdAt(CREATED_AT).build();

        assertThat(CostEventJson.toJson(fullEvent(), true)).isEqualTo(
                "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"inputTokens\":1000,\"outputTokens\":500,"
                        + "\"cachedInputTokens\":400,\"reasoningTokens\":20,\"costMicrodollars\":7000,"
                        + "\"costBreakdown\":{\"input\":1500,\"output\":5000,\"cached\":500,\"reasoning\":200},"
                        + "\"durationMs\":812,\"sessionId\":\"checkout-7\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                        + "\"eventType\":\"llm\",\"tags\":{\"team\":\"search\",\"env\":\"prod\"},\"customer\":\"acme\","
                        + "\"idempotencyKey\":\"ns_6f1d7a52-0d0e-4c53-9d3e-0a1c5b8e2f10\","
                        + "\"createdAt\":\"2026-11-28T19:00:00.123Z\"}");
        assertThat(CostEventJson.toJson(tool, true)).isEqualTo(
                "{\"provider\":\"tool\",\"model\":\"web_search\",\"inputTokens\":0,\"outputTokens\":0,"
                        + "\"cachedInputTokens\":0,\"reasoningTokens\":0,\"costMicrodollars\":20000,"
                        + "\"eventType\":\"tool\",\"toolName\":\"web_search\",\"toolServer\":\"mcp-search\","
                        + "\"createdAt\":\"2026-11-28T19:00:00.123Z\"}");
    }

    @Test
    void omitsNullsEmptyTagsAndCreatedAtForTheApi() {
        CostEvent minimal = CostEvent.builder().provider("anthropic").model("claude-sonnet-4-5")
                .inputTokens(3).outputTokens(4).costMicrodollars(69).eventType(CostEvent.Type.LLM)
                .tag("dropped", null).createdAt(CREATED_AT).build();

        assertThat(CostEventJson.toJson(minimal, false)).isEqualTo(
                "{\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\",\"inputTokens\":3,\"outputTokens\":4,"
                        + "\"cachedInputTokens\":0,\"reasoningTokens\":0,\"costMicrodollars\":69,\"eventType\":\"llm\"}");
    }

    @Test
    void createdAtAlwaysHasMillisecondsInUtc() {
        CostEvent e = fullEvent().toBuilder().createdAt(Instant.parse("2026-01-02T03:04:05.987654321Z")).build();
        CostEvent whole = fullEvent().toBuilder().createdAt(Instant.parse("2026-01-02T03:04:05Z")).build();

        assertThat(CostEventJson.toJson(e, true)).endsWith(",\"createdAt\":\"2026-01-02T03:04:05.987Z\"}");
        assertThat(CostEventJson.toJson(whole, true)).endsWith(",\"createdAt\":\"2026-01-02T03:04:05.000Z\"}");
    }

    @Test
    void escapesStringsSoAnEventStaysOnOneLine() {
        CostEvent e = fullEvent().toBuilder().sessionId("a\nb\"c\u0000é").build();

        String json = CostEventJson.toJson(e, true);

        assertThat(json).doesNotContain("\n").contains("\"sessionId\":\"a\\nb\\\"c\\u0000é\"");
        assertThat(CostEventJson.parse(json).sessionId()).isEqualTo("a\nb\"c\u0000é");
    }

    @Test
    void roundTripsEveryField() {
        CostEvent original = fullEvent();

        CostEvent parsed = CostEventJson.parse(CostEventJson.toJson(original, true));

        assertThat(parsed).usingRecursiveComparison().isEqualTo(original);
        assertThat(CostEventJson.toJson(parsed, true)).isEqualTo(CostEventJson.toJson(original, true));
    }

    @Test
    void roundTripsAMinimalEvent() {
        CostEvent original = CostEvent.builder().provider("custom").model("gpu-minutes").costMicrodollars(5)
                .createdAt(CREATED_AT).build();

        CostEvent parsed = CostEventJson.parse(CostEventJson.toJson(original, true));

        assertThat(parsed).usingRecursiveComparison().isEqualTo(original);
        assertThat(parsed.eventType()).isEqualTo(CostEvent.Type.CUSTOM);
        assertThat(parsed.costBreakdown()).isNull();
        assertThat(parsed.durationMs()).isNull();
        assertThat(parsed.tags()).isEmpty();
    }

    @Test
    void parseIgnoresUnknownFieldsAndNulls() {
        CostEvent parsed = CostEventJson.parse("{\"id\":\"x\",\"provider\":\"openai\",\"future\":{\"a\":[1,{\"b\":2}]},"
                + "\"model\":\"gpt-4o-mini\",\"inputTokens\":7,\"sessionId\":null,\"tags\":{\"k\":\"v\",\"n\":null},"
                + "\"costBreakdown\":{\"input\":1,\"output\":2,\"cached\":0,\"toolDefinition\":9},"
                + "\"createdAt\":\"2026-11-28T19:00:00Z\"}");

        assertThat(parsed.provider()).isEqualTo("openai");
        assertThat(parsed.model()).isEqualTo("gpt-4o-mini");
        assertThat(parsed.inputTokens()).isEqualTo(7);
        assertThat(parsed.sessionId()).isNull();
        assertThat(parsed.tags()).containsExactly(entry("k", "v"));
        assertThat(parsed.costBreakdown()).isEqualTo(new CostEvent.Breakdown(1, 2, 0, 0));
        assertThat(parsed.createdAt()).isEqualTo(Instant.parse("2026-11-28T19:00:00Z"));
    }

    /** A line that is JSON but no cost event: the message names what is wrong with it. */
    @ParameterizedTest(name = "{1}")
    @CsvFileSource(resources = "/report/malformed-events.csv", delimiter = '|', quoteCharacter = '\'', numLinesToSkip = 1)
    void parseNamesWhatIsWrongWithAnEvent(String line, String problem) {
        assertThatThrownBy(() -> CostEventJson.parse(line)).hasMessageContaining(problem);
    }

    @Test
    void parseRejectsMalformedLinesClearly() {
        assertThatThrownBy(() -> CostEventJson.parse("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"inputTok"))
                .isInstanceOf(CostEventJson.MalformedEventException.class)
                .hasMessageStartingWith("malformed cost event: ")
                .hasMessageContaining("in: {\"provider\":\"openai\"");
        assertThatThrownBy(() -> CostEventJson.parse("[1,2]"))
                .hasMessage("malformed cost event: not a JSON object in: [1,2]");
        assertThatThrownBy(() -> CostEventJson.parse(""))
                .isInstanceOf(CostEventJson.MalformedEventException.class);
    }

    /** The hand-written createdAt is the pattern's, digit for digit, across days, leap years, fractions and the fallback years. */
    @Test
    void createdAtIsWhatItsPatternWrites() {
        java.time.format.DateTimeFormatter pattern = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
        assertThat(CostEventJson.createdAt(Instant.parse("2026-12-07T21:05:09.047123Z"))).isEqualTo("2026-12-07T21:05:09.047Z");
        assertThat(CostEventJson.createdAt(Instant.parse("2024-02-29T00:00:00Z"))).isEqualTo("2024-02-29T00:00:00.000Z");
        assertThat(CostEventJson.createdAt(Instant.parse("1969-12-31T23:59:59.999Z"))).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(CostEventJson.createdAt(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000Z");
        java.util.Random random = new java.util.Random(14);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(first + (long) (random.nextDouble() * (last - first)), random.nextInt(1_000_000_000));
            assertThat(CostEventJson.createdAt(at)).isEqualTo(pattern.format(at));
        }
    }

    /** The ledger's encoder writes what {@code lines} writes, batch after batch, in one buffer, across a day's end and the fallback years. */
    @Test
    void theLedgersEncoderWritesTheSameLinesBatchAfterBatchInOneBuffer() throws Exception {
        CostEventJson.LineEncoder encoder = new CostEventJson.LineEncoder(true);
        byte[] buffer = null;
        Instant dayEnd = Instant.parse("2026-12-07T23:59:59.990Z");
        for (int batch = 0; batch < 5; batch++) {
            java.util.List<CostEvent> events = new java.util.ArrayList<>();
            for (int i = 0; i < 29 - batch * 7; i++) {
                events.add(fullEvent().toBuilder().inputTokens(i).createdAt(dayEnd.plusMillis(batch * 5L + i)).build());
            }
            events.add(fullEvent().toBuilder().createdAt(Instant.parse("+10000-01-01T00:00:00Z")).build());
            encoder.encode(events);
            assertThat(java.util.Arrays.copyOf(encoder.bytes(), encoder.length())).isEqualTo(CostEventJson.lines(events, true));
            if (buffer != null) {
                assertThat(encoder.bytes()).isSameAs(buffer);
            }
            buffer = encoder.bytes();
        }
    }
}
