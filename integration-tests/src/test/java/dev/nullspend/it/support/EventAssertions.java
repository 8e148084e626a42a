package dev.nullspend.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.fake.FakeUsage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;

/** Checks a ledger event against the contract (docs/architecture.md and the cost event of docs/nullspend-api-contract.md), every field at once. */
public final class EventAssertions {

    /** The ledger line's fields: the cost-event object plus {@code createdAt}. Null fields are omitted. */
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "provider", "model", "inputTokens", "outputTokens", "cachedInputTokens", "reasoningTokens",
            "costMicrodollars", "costBreakdown", "durationMs", "sessionId", "traceId", "eventType", "toolName",
            "toolServer", "tags", "customer", "idempotencyKey", "createdAt");

    private static final Pattern IDEMPOTENCY_KEY =
            Pattern.compile("ns_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private EventAssertions() {
    }

    /** One OpenAI chat call a program made: the request's model and the usage the provider reported. */
    public record ExpectedCall(String model, FakeUsage usage) {
    }

    /**
     * The ledger has exactly one exact event per call and nothing else. Events are matched to calls by
     * model and {@code inputTokens} (give each call its own prompt size), not by order: the contract
     * does not fix the order of events written by concurrent or asynchronous calls.
     */
    public static void assertExactOpenAiEvents(ForkedJvm.Result run, List<ExpectedCall> calls) {
        assertExactOpenAiEvents(run, run.ledger(), calls);
    }

    /** As {@link #assertExactOpenAiEvents(ForkedJvm.Result, List)}, for a subset of the run's ledger events. */
    public static void assertExactOpenAiEvents(ForkedJvm.Result run, List<JsonNode> events, List<ExpectedCall> calls) {
        assertThat(events).as("one ledger event per call\n%s", run.describe()).hasSameSizeAs(calls);
        for (ExpectedCall call : calls) {
            List<JsonNode> matching = events.stream()
                    .filter(e -> call.model().equals(e.path("model").asText())
                            && e.path("inputTokens").asLong(-1) == call.usage().promptTokens())
                    .toList();
            assertThat(matching).as("events for %s with %d input tokens, among %s\n%s", call.model(),
                    call.usage().promptTokens(), events, run.describe()).hasSize(1);
            assertExactOpenAiEvent(matching.get(0), run, call.model(), call.usage());
        }
    }

    /** The ledger has exactly one event, and it is the exact OpenAI chat event for {@code model} and {@code usage}. */
    public static void assertSingleExactOpenAiEvent(ForkedJvm.Result run, String model, FakeUsage usage) {
        List<JsonNode> events = run.ledger();
        assertThat(events).as("ledger events\n%s", run.describe()).hasSize(1);
        assertExactOpenAiEvent(events.get(0), run, model, usage);
    }

    /**
     * Every field of an OpenAI chat event: tokens as OpenAI counts them, cost and breakdown from
     * {@link ExpectedCost}, the request's model, {@code eventType} llm, no tags, a {@code ns_<uuid>} key,
     * {@code createdAt} in UTC during the run, {@code durationMs} within the run.
     */
    public static void assertExactOpenAiEvent(JsonNode event, ForkedJvm.Result run, String model, FakeUsage usage) {
        ExpectedCost cost = ExpectedCost.openAiChat(model, usage);
        SoftAssertions soft = new SoftAssertions();
        String context = "event " + event + "\n" + run.describe();
        soft.assertThat(text(event, "provider")).as("provider; %s", context).isEqualTo("openai");
        soft.assertThat(text(event, "model")).as("model (the request's); %s", context).isEqualTo(model);
        soft.assertThat(number(event, "inputTokens")).as("inputTokens; %s", context).isEqualTo(usage.promptTokens());
        soft.assertThat(number(event, "cachedInputTokens")).as("cachedInputTokens; %s", context).isEqualTo(usage.cachedTokens());
        soft.assertThat(number(event, "outputTokens")).as("outputTokens; %s", context).isEqualTo(usage.completionTokens());
        soft.assertThat(number(event, "reasoningTokens")).as("reasoningTokens; %s", context).isEqualTo(usage.reasoningTokens());
        soft.assertThat(number(event, "costMicrodollars")).as("costMicrodollars; %s", context).isEqualTo(cost.total());
        JsonNode breakdown = event.path("costBreakdown");
        soft.assertThat(number(breakdown, "input")).as("costBreakdown.input; %s", context).isEqualTo(cost.input());
        soft.assertThat(number(breakdown, "cached")).as("costBreakdown.cached; %s", context).isEqualTo(cost.cached());
        soft.assertThat(number(breakdown, "output")).as("costBreakdown.output; %s", context).isEqualTo(cost.output());
        soft.assertThat(number(breakdown, "reasoning")).as("costBreakdown.reasoning; %s", context).isEqualTo(cost.reasoning());
        soft.assertThat(event.has("tags")).as("tags absent when empty; %s", context).isFalse();
        assertCommonFields(soft, event, run, context);
        soft.assertAll();
    }

    /** The parts of {@code costBreakdown}. */
    public record Breakdown(long input, long cached, long output, long reasoning) {
    }

    /**
     * Every number and label one call's event must carry, for any provider.
     *
     * @param breakdown null when the event must have no {@code costBreakdown} (a provider-reported cost)
     * @param tags      the event's exact tags (empty: no {@code tags} field)
     */
    public record ExpectedEvent(String provider, String model, long inputTokens, long cachedInputTokens,
                                long outputTokens, long reasoningTokens, long costMicrodollars, Breakdown breakdown,
                                Map<String, String> tags) {
    }

    /**
     * The ledger has exactly one event per expected event and nothing else; events are matched by provider,
     * model and {@code inputTokens} (give each call its own, or expect the same event once per call that
     * repeats it), not by order.
     */
    public static void assertExactEvents(ForkedJvm.Result run, List<ExpectedEvent> expected) {
        List<JsonNode> events = run.ledger();
        assertThat(events).as("one ledger event per call\n%s", run.describe()).hasSameSizeAs(expected);
        for (ExpectedEvent want : expected) {
            List<JsonNode> matching = events.stream()
                    .filter(e -> want.provider().equals(e.path("provider").asText())
                            && want.model().equals(e.path("model").asText())
                            && e.path("inputTokens").asLong(-1) == want.inputTokens())
                    .toList();
            long repeats = expected.stream().filter(other -> other.provider().equals(want.provider())
                    && other.model().equals(want.model()) && other.inputTokens() == want.inputTokens()).count();
            assertThat(matching).as("events of %s/%s with %d input tokens, among %s\n%s", want.provider(), want.model(),
                    want.inputTokens(), events, run.describe()).hasSize((int) repeats);
            matching.forEach(event -> assertExactEvent(event, run, want));
        }
    }

    /** Every field of one event, as {@code want} says, plus the fields every event has. */
    public static void assertExactEvent(JsonNode event, ForkedJvm.Result run, ExpectedEvent want) {
        SoftAssertions soft = new SoftAssertions();
        String context = "event " + event + "\n" + run.describe();
        soft.assertThat(text(event, "provider")).as("provider; %s", context).isEqualTo(want.provider());
        soft.assertThat(text(event, "model")).as("model; %s", context).isEqualTo(want.model());
        soft.assertThat(number(event, "inputTokens")).as("inputTokens; %s", context).isEqualTo(want.inputTokens());
        soft.assertThat(number(event, "cachedInputTokens")).as("cachedInputTokens; %s", context)
                .isEqualTo(want.cachedInputTokens());
        soft.assertThat(number(event, "outputTokens")).as("outputTokens; %s", context).isEqualTo(want.outputTokens());
        soft.assertThat(number(event, "reasoningTokens")).as("reasoningTokens; %s", context)
                .isEqualTo(want.reasoningTokens());
        soft.assertThat(number(event, "costMicrodollars")).as("costMicrodollars; %s", context)
                .isEqualTo(want.costMicrodollars());
        if (want.breakdown() == null) {
            soft.assertThat(event.has("costBreakdown")).as("no costBreakdown; %s", context).isFalse();
        } else {
            JsonNode b = event.path("costBreakdown");
            soft.assertThat(new Breakdown(b.path("input").asLong(-1), b.path("cached").asLong(-1),
                            b.path("output").asLong(-1), b.path("reasoning").asLong(-1)))
                    .as("costBreakdown; %s", context).isEqualTo(want.breakdown());
        }
        Map<String, String> tags = new TreeMap<>();
        event.path("tags").fields().forEachRemaining(f -> tags.put(f.getKey(), f.getValue().asText()));
        soft.assertThat(tags).as("tags; %s", context).isEqualTo(new TreeMap<>(want.tags()));
        assertCommonFields(soft, event, run, context);
        soft.assertAll();
    }

    /**
     * An event the agent had to estimate (no usage in the response): the {@code _ns_estimated} tag and a
     * positive cost are all the contract fixes about its numbers.
     */
    public static void assertEstimatedOpenAiEvent(JsonNode event, ForkedJvm.Result run, String model) {
        SoftAssertions soft = new SoftAssertions();
        String context = "event " + event + "\n" + run.describe();
        soft.assertThat(text(event, "provider")).as("provider; %s", context).isEqualTo("openai");
        soft.assertThat(text(event, "model")).as("model; %s", context).isEqualTo(model);
        soft.assertThat(text(event.path("tags"), "_ns_estimated")).as("tags._ns_estimated; %s", context).isEqualTo("true");
        soft.assertThat(number(event, "costMicrodollars")).as("costMicrodollars; %s", context).isPositive();
        assertCommonFields(soft, event, run, context);
        soft.assertAll();
    }

    private static void assertCommonFields(SoftAssertions soft, JsonNode event, ForkedJvm.Result run, String context) {
        soft.assertThat(text(event, "eventType")).as("eventType; %s", context).isEqualTo("llm");
        soft.assertThat(text(event, "idempotencyKey")).as("idempotencyKey; %s", context).matches(IDEMPOTENCY_KEY);
        soft.assertThat(number(event, "durationMs")).as("durationMs; %s", context)
                .isBetween(0L, run.elapsed().toMillis());
        Instant createdAt = instant(event, "createdAt");
        soft.assertThat(createdAt).as("createdAt is ISO-8601 UTC; %s", context).isNotNull();
        if (createdAt != null) {
            soft.assertThat(createdAt).as("createdAt during the run; %s", context)
                    .isBetween(run.started().truncatedTo(ChronoUnit.SECONDS), run.started().plus(run.elapsed()));
        }
        List<String> unknown = new ArrayList<>();
        event.fieldNames().forEachRemaining(name -> {
            if (!KNOWN_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        soft.assertThat(unknown).as("fields outside the cost-event contract; %s", context).isEmpty();
        event.fields().forEachRemaining(field -> soft.assertThat(field.getValue().isNull())
                .as("null field %s written (null fields are omitted); %s", field.getKey(), context).isFalse());
    }

    /** A text field, or null when absent or not text (so a missing field fails the equality with a clear value). */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** An integral field, or null when absent or not an integer. */
    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }

    /** {@code createdAt}: ISO-8601 in UTC ({@code …Z} or {@code …+00:00}); null when absent or another form. */
    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || !(value.endsWith("Z") || value.endsWith("+00:00"))) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
