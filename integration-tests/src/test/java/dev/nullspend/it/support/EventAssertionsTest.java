package dev.nullspend.it.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ITs' event checks accept a contract-conforming ledger line and reject the mistakes they exist to catch. */
class EventAssertionsTest {

    private static final FakeUsage USAGE = new FakeUsage(1000, 400, 500, 0);
    private static final String CONFORMING = "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"inputTokens\":1000,"
            + "\"outputTokens\":500,\"cachedInputTokens\":400,\"reasoningTokens\":0,\"costMicrodollars\":7000,"
            + "\"costBreakdown\":{\"input\":1500,\"output\":5000,\"cached\":500,\"reasoning\":0},\"durationMs\":42,"
            + "\"eventType\":\"llm\",\"idempotencyKey\":\"ns_0b7c1c1e-8f0a-4c1e-9d59-3f2a6f1b2c3d\","
            + "\"createdAt\":\"CREATED_AT\"}";

    @TempDir
    Path dir;

    @Test
    void acceptsAConformingLine() throws IOException {
        ForkedJvm.Result run = runWithLedger(CONFORMING);

        assertThatCode(() -> EventAssertions.assertSingleExactOpenAiEvent(run, "gpt-4o", USAGE)).doesNotThrowAnyException();
        assertThatCode(() -> EventAssertions.assertExactOpenAiEvents(run, List.of(new ExpectedCall("gpt-4o", USAGE))))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsTheResponseModelInsteadOfTheRequestModel() throws IOException {
        ForkedJvm.Result run = runWithLedger(CONFORMING.replace("\"gpt-4o\"", "\"gpt-4o-2024-08-06\""));

        assertThatThrownBy(() -> EventAssertions.assertSingleExactOpenAiEvent(run, "gpt-4o", USAGE))
                .hasMessageContaining("model");
    }

    @Test
    void rejectsAWrongCostAndAWrongBreakdown() throws IOException {
        ForkedJvm.Result run = runWithLedger(CONFORMING.replace("\"costMicrodollars\":7000", "\"costMicrodollars\":7500")
                .replace("\"input\":1500", "\"input\":2500"));

        assertThatThrownBy(() -> EventAssertions.assertSingleExactOpenAiEvent(run, "gpt-4o", USAGE))
                .hasMessageContaining("costMicrodollars").hasMessageContaining("costBreakdown.input");
    }

    @Test
    void rejectsNullFieldsSnakeCaseFieldsAndATimestampOutsideUtc() throws IOException {
        ForkedJvm.Result run = runWithLedger(CONFORMING.replace("\"durationMs\":42", "\"durationMs\":42,\"sessionId\":null,\"cost_microdollars\":1")
                .replace("CREATED_AT", "2030-01-01T10:00:00+02:00"));

        assertThatThrownBy(() -> EventAssertions.assertSingleExactOpenAiEvent(run, "gpt-4o", USAGE))
                .hasMessageContaining("sessionId").hasMessageContaining("cost_microdollars").hasMessageContaining("createdAt");
    }

    @Test
    void rejectsAMissingOrExtraLine() throws IOException {
        ForkedJvm.Result twoLines = runWithLedger(CONFORMING + "\n" + CONFORMING);

        assertThatThrownBy(() -> EventAssertions.assertSingleExactOpenAiEvent(twoLines, "gpt-4o", USAGE))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> EventAssertions.assertExactOpenAiEvents(twoLines,
                List.of(new ExpectedCall("gpt-4o", USAGE), new ExpectedCall("gpt-4o", new FakeUsage(1001, 0, 1, 0)))))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void estimatedEventNeedsTheTagAndAPositiveCost() throws IOException {
        String estimated = CONFORMING.replace("\"eventType\"", "\"tags\":{\"_ns_estimated\":\"true\"},\"eventType\"");
        ForkedJvm.Result good = runWithLedger(estimated);
        ForkedJvm.Result free = runWithLedger(estimated.replace("\"costMicrodollars\":7000", "\"costMicrodollars\":0"));

        assertThatCode(() -> EventAssertions.assertEstimatedOpenAiEvent(good.ledger().get(0), good, "gpt-4o"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> EventAssertions.assertEstimatedOpenAiEvent(free.ledger().get(0), free, "gpt-4o"))
                .hasMessageContaining("costMicrodollars");
    }

    /** A finished run that started a second ago and wrote {@code lines} (createdAt set to now) to its ledger. */
    private ForkedJvm.Result runWithLedger(String lines) throws IOException {
        Instant started = Instant.now().minusSeconds(1);
        Path ledger = Files.createTempFile(dir, "ledger", ".jsonl");
        Files.writeString(ledger, lines.replace("CREATED_AT", Instant.now().toString()) + "\n");
        return new ForkedJvm.Result(List.of("java", "Program"), 0, List.of(), List.of(), started, Duration.ofSeconds(2), ledger);
    }
}
