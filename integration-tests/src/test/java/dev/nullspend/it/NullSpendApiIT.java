package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.FakeApiPerTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.LoopingChatApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.SpoolFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reporting to the NullSpend API end to end: programs under the agent make LLM calls to the fake
 * provider, with {@code nullspend.api-key} and {@code nullspend.base-url} pointing at a
 * {@link FakeNullSpendApi} that holds them to the API's contract. Whatever the API does (fails,
 * rate-limits, hangs, goes away) and however the program ends (normally, {@code kill -9}), every
 * event reaches the API once, with its exact cost, by the next start at the latest.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
@ExtendWith(FakeServers.class)
class NullSpendApiIT extends FakeApiPerTest {
    private static final String MODEL = "gpt-4o-mini";
    private static final Pattern IDEMPOTENCY_KEY =
            Pattern.compile("ns_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The agent's exit line about the API; see ApiSink.summary(). */
    private static final Pattern API_LINE = Pattern.compile(
            ".*api: (\\S+) \\(([\\d,]+) sent, ([\\d,]+) spooled, ([\\d,]+) dropped, ([\\d,]+) retr(?:y|ies)(.*?)\\)(.*)");

    private final FakeProviderServer provider;

    NullSpendApiIT(Fakes fakes) {
        provider = fakes.provider();
    }

    @TempDir
    Path workDir;

    @Test
    void theAgentsOwnApiCallsGoThroughTheInstrumentedJdkClientAndAreNeverCosted() {
        ForkedJvm.Result run = program(0, 5, 0).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.ledger()).as("the program's five LLM calls and nothing else\n%s", run.describe()).hasSize(5);
        assertApiHoldsExactly(range(0, 5), run);
        assertThat(keys(run.ledger())).isEqualTo(api.eventKeys());
        String version = agentVersion(run);
        assertThat(api.requests()).as(run.describe()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.userAgent()).as("java.net.http, which the agent instruments, carried it").startsWith("Java-http-client/");
            assertThat(r.sdk()).isEqualTo("java/" + version);
            assertThat(r.status()).as("201 for a batch, 200 for the remote policy's GETs")
                    .isEqualTo(r.method().equals("GET") ? 200 : 201);
        });
        assertThat(apiLine(run)).isEqualTo(new ApiLine(5, 0, 0, 0, ""));
        assertThat(SpoolFiles.names(spool())).as("nothing was spooled: the spool was never created").isEmpty();
    }

    @Test
    void anApiThatFailsThenRateLimitsThenRecoversGetsEveryEventExactlyOnce() {
        api.failNext(3, 503);
        api.rateLimitNext(3, "1");

        ForkedJvm.Result run = program(0, 40, 150).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).filteredOn(l -> l.startsWith("call=")).hasSize(40).allMatch(l -> l.endsWith("status=200"));
        assertApiHoldsExactly(range(0, 40), run);
        assertThat(keys(run.ledger())).isEqualTo(api.eventKeys());
        assertThat(api.duplicateEvents()).as("503 and 429 store nothing, so nothing is sent twice").isZero();
        List<FakeNullSpendApi.Received> requests = api.requests().stream()
                .filter(r -> r.path().equals(FakeNullSpendApi.BATCH_PATH)).toList(); // not the policy's GETs
        assertThat(requests).extracting(FakeNullSpendApi.Received::status).startsWith(503, 503, 503, 429, 429, 429)
                .as("then only successes").filteredOn(s -> s != 201).hasSize(6);
        assertThat(requests.subList(0, 3)).extracting(FakeNullSpendApi.Received::idempotencyKey)
                .as("one key for a request and its retries").containsOnly(requests.get(0).idempotencyKey());
        assertThat(requests.subList(3, 6)).extracting(FakeNullSpendApi.Received::idempotencyKey)
                .containsOnly(requests.get(3).idempotencyKey()).doesNotContain(requests.get(0).idempotencyKey());
        ApiLine line = apiLine(run);
        assertThat(line.sent()).isEqualTo(40);
        assertThat(line.dropped()).isZero();
        assertThat(line.retries()).as("2 after the 503s, 2 after the 429s").isEqualTo(4);
        assertThat(line.spooled()).as(run.describe()).isPositive();
        assertThat(line.rest()).as("all spooled events re-sent, none left").isEqualTo(", " + line.spooled() + " re-sent from the spool");
        assertThat(run.agentLines()).anyMatch(l -> l.contains("POST /api/cost-events/batch failed: HTTP 503"))
                .anyMatch(l -> l.contains("the API accepts cost events again"));
        assertThat(SpoolFiles.names(spool())).isEmpty();
    }

    enum Outage { STOPPED, SLOW }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void eventsTheApiDidNotTakeBeforeTheExitAreSpooledAndSentByTheNextStart(Outage outage) {
        if (outage == Outage.STOPPED) {
            api.stopListening();
        } else {
            api.slowDown(Duration.ofSeconds(60)); // takes the events, never answers in time
        }

        ForkedJvm.Result first = program(0, 12, 50).run();

        assertThat(first.exitCode()).as(first.describe()).isZero();
        long doneAt = Long.parseLong(first.stdoutValue("done-at"));
        long exitedAt = first.started().plus(first.elapsed()).toEpochMilli();
        assertThat(exitedAt - doneAt).as("main's end to the JVM's exit: the 5 s shutdown bound holds\n%s",
                first.describe()).isLessThan(6_500);
        List<JsonNode> spooled = SpoolFiles.events(spool());
        assertThat(keys(spooled)).as(first.describe()).isEqualTo(keys(first.ledger())).hasSize(12);
        assertThat(spooled).allMatch(e -> e.has("createdAt"));
        ApiLine firstLine = apiLine(first);
        assertThat(firstLine).isEqualTo(new ApiLine(0, 12, 0, firstLine.retries(), ""));
        assertThat(first.agentLines()).anyMatch(l -> l.endsWith("spool "
                + SpoolFiles.ownerDir(spool(), api.apiKey(), api.baseUrl()) + ": 12 to send at the next start"));
        int takenBeforeTheExit = api.events().size();
        if (outage == Outage.STOPPED) {
            assertThat(takenBeforeTheExit).isZero();
            api.startListening();
        } else {
            assertThat(takenBeforeTheExit).as("the slow API stored the first batch it was sent").isPositive();
            api.slowDown(Duration.ZERO);
        }

        ForkedJvm.Result second = program(100, 1, 0).run();

        assertThat(second.exitCode()).as(second.describe()).isZero();
        Set<Integer> calls = range(0, 12);
        calls.add(100);
        assertApiHoldsExactly(calls, second);
        assertThat(api.eventKeys()).as("the ledger of both runs").isEqualTo(keys(second.ledger()));
        assertThat(api.duplicateEvents()).as("only what the slow API had stored arrives twice, and is skipped")
                .isEqualTo(takenBeforeTheExit);
        ApiLine secondLine = apiLine(second);
        assertThat(secondLine.sent()).isEqualTo(13);
        assertThat(secondLine.rest()).isEqualTo(", 12 re-sent from the spool"
                + (takenBeforeTheExit > 0 ? ", " + takenBeforeTheExit + " already at the API" : ""));
        assertThat(second.agentLines()).anyMatch(l -> l.contains("12 cost events of earlier runs to re-send"));
        assertThat(SpoolFiles.names(spool())).isEmpty();
    }

    @Test
    void killedRunsLeaveAReadableSpoolAndNothingIsStoredTwice() {
        // 1: the API is away; the program is killed once the spool holds 20 events
        api.stopListening();
        ForkedJvm.Result first = program(0, -1, 20).killWhen(() -> SpoolFiles.completeLines(spool()) >= 20).run();

        assertThat(first.exitCode()).as(first.describe()).isEqualTo(137);
        Set<String> spooledByFirst = keys(SpoolFiles.events(spool())); // every complete line is a valid event
        assertThat(spooledByFirst).hasSizeGreaterThanOrEqualTo(20);
        assertThat(SpoolFiles.names(spool())).as("a killed run leaves its lock file").anyMatch(n -> n.endsWith(".lock"));

        // 2: the API is back but slow to answer; the program is killed once the API has stored the first re-send
        api.startListening();
        api.slowDown(Duration.ofSeconds(5));
        ForkedJvm.Result second = program(10_000, -1, 50).killWhen(() -> !api.events().isEmpty()).run();

        assertThat(second.exitCode()).as(second.describe()).isEqualTo(137);
        Set<String> storedBySecond = api.eventKeys();
        assertThat(spooledByFirst).as("the first run's events went first").containsAll(storedBySecond);
        List<JsonNode> left = SpoolFiles.events(spool());
        assertThat(keys(left)).as("the answer never came: the segments stay").containsAll(spooledByFirst);

        // 3: a normal run sends what is left; what the API already has is skipped by its idempotency key
        api.slowDown(Duration.ZERO);
        ForkedJvm.Result third = program(20_000, 1, 0).run();

        assertThat(third.exitCode()).as(third.describe()).isZero();
        Set<Integer> calls = left.stream().map(e -> (int) e.path("inputTokens").asLong() - 1000)
                .collect(Collectors.toCollection(TreeSet::new));
        calls.add(20_000);
        assertApiHoldsExactly(calls, third);
        assertThat(api.duplicateEvents()).isEqualTo(storedBySecond.size());
        assertThat(SpoolFiles.names(spool())).as(third.describe()).isEmpty();
    }

    // ---- helpers ----

    private Path spool() {
        return workDir.resolve("spool");
    }

    /** {@link LoopingChatApp} under the agent, reporting to the fake API, spooling in the work dir. */
    private ForkedJvm.Builder program(int first, int calls, long pauseMillis) {
        return ForkedJvm.in(workDir).mainClass(LoopingChatApp.class)
                .systemProperty("nullspend.api-key", api.apiKey())
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.spool-dir", spool().toString())
                .systemProperty("nullspend.reporter.flush-interval-ms", "100")
                .args("origin=" + provider.origin(), "model=" + MODEL, "first=" + first, "calls=" + calls,
                        "pause-ms=" + pauseMillis);
    }

    /**
     * The API stored one event per call, each with the exact cost of its usage, nothing else, and the
     * agent kept to the contract throughout.
     */
    private void assertApiHoldsExactly(Set<Integer> calls, ForkedJvm.Result run) {
        List<Map<String, Object>> events = api.events();
        String context = "API events " + events + "\n" + run.describe();
        assertThat(events).as(context).hasSize(calls.size());
        SoftAssertions soft = new SoftAssertions();
        Set<Integer> seen = new TreeSet<>();
        for (Map<String, Object> e : events) {
            int call = number(e.get("inputTokens")) - 1000;
            seen.add(call);
            ExpectedCost cost = ExpectedCost.openAiChat(MODEL, LoopingChatApp.usage(call));
            soft.assertThat(e.get("provider")).as("provider; %s", e).isEqualTo("openai");
            soft.assertThat(e.get("model")).as("model; %s", e).isEqualTo(MODEL);
            soft.assertThat(e.get("eventType")).as("eventType; %s", e).isEqualTo("llm");
            soft.assertThat(number(e.get("outputTokens"))).as("outputTokens; %s", e)
                    .isEqualTo(LoopingChatApp.usage(call).completionTokens());
            soft.assertThat((long) number(e.get("costMicrodollars"))).as("costMicrodollars; %s", e).isEqualTo(cost.total());
            @SuppressWarnings("unchecked")
            Map<String, Object> breakdown = (Map<String, Object>) e.get("costBreakdown");
            soft.assertThat((long) number(breakdown.get("input"))).as("costBreakdown.input; %s", e).isEqualTo(cost.input());
            soft.assertThat((long) number(breakdown.get("output"))).as("costBreakdown.output; %s", e).isEqualTo(cost.output());
            soft.assertThat((long) number(breakdown.get("cached"))).as("costBreakdown.cached; %s", e).isEqualTo(cost.cached());
            soft.assertThat((String) e.get("idempotencyKey")).as("idempotencyKey; %s", e).matches(IDEMPOTENCY_KEY);
            soft.assertThat(e).as("no createdAt on the wire").doesNotContainKey("createdAt");
        }
        soft.assertThat(seen).as("one event per call; %s", context).isEqualTo(calls);
        soft.assertThat(api.violations()).as("contract departures; %s", context).isEmpty();
        soft.assertThat(api.rateLimitedRequests()).as("the agent stays under 60 requests a minute").isZero();
        soft.assertAll();
    }

    private static int number(Object json) {
        return ((BigDecimal) json).intValueExact();
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(Collection<JsonNode> events) {
        return events.stream().map(e -> e.path("idempotencyKey").asText()).collect(Collectors.toSet());
    }

    /** The counts of the agent's exit line about the API, and what follows them inside the parentheses. */
    private record ApiLine(long sent, long spooled, long dropped, long retries, String rest) {
    }

    private ApiLine apiLine(ForkedJvm.Result run) {
        List<Matcher> lines = run.agentLines().stream().map(API_LINE::matcher).filter(Matcher::matches).toList();
        assertThat(lines).as("one api line at exit\n%s", run.describe()).hasSize(1);
        Matcher m = lines.get(0);
        assertThat(m.group(1)).isEqualTo(api.baseUrl());
        return new ApiLine(count(m.group(2)), count(m.group(3)), count(m.group(4)), count(m.group(5)), m.group(6));
    }

    private static long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static String agentVersion(ForkedJvm.Result run) {
        Pattern started = Pattern.compile(".*NullSpend agent (\\S+) started: mode=api \\((.*)\\).*");
        for (String line : run.agentLines()) {
            Matcher m = started.matcher(line);
            if (m.matches()) {
                assertThat(m.group(1)).isNotEqualTo("unknown");
                return m.group(1);
            }
        }
        throw new AssertionError("no start line\n" + run.describe());
    }
}
