package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static dev.nullspend.it.support.ExpectedCost.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.Hc4Driver;
import dev.nullspend.it.apps.Hc5AsyncDriver;
import dev.nullspend.it.apps.Hc5Driver;
import dev.nullspend.it.apps.JdkDriver;
import dev.nullspend.it.apps.OkHttpDriver;
import dev.nullspend.it.apps.ReactorNettyDriver;
import dev.nullspend.it.apps.UrlConnectionDriver;
import dev.nullspend.it.apps.VertxDriver;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of denial through every client and way of calling it, in a real JVM: {@code java.net.http}
 * {@code send} and {@code sendAsync}, OkHttp {@code execute} and {@code enqueue}, Apache HttpClient 4.5
 * and 5.x classic, 5.x async with a future and with a callback, {@code HttpURLConnection} buffered and
 * chunked, Reactor Netty {@code block()} and {@code subscribe}, Vert.x's {@code HttpClient} and
 * {@code WebClient}. (Spring's {@code WebClient} needs a Jackson this JVM cannot also hold: its own test
 * runs the contract's local and proxy denials, {@code WebClientIT}.) For each, the program gets the typed
 * exception (or, where the client allows only an {@code IOException} or wraps failures, a carrier whose
 * cause it is) with its exact code, recovery, fields and message; the provider receives nothing for the
 * denied call; only admitted calls are billed.
 *
 * <p>One forked JVM per kind, running every way of calling in turn (each JVM loads all eight clients).
 * The spend kinds (budget, customer and tag budgets, session, velocity) first make one admitted call, so
 * that their figures show real spend: every limit is $0.03, the admitted call costs A ≈ $0.015, and each
 * later call may cost up to E ≈ $0.022, so {@code A + E} no longer fits while {@code E} alone did.
 * The clients are the versions on the test class path, driven through the contract tests' drivers; that
 * a call made on a client's own thread keeps its attribution scope is each client's contract test's
 * ({@code ClientContractIT#everyDenialReachesTheProgramBeforeAnyByteAndScopesFollowTheCall}).
 */
@ExtendWith(FakeServers.class)
class DenialKindsIT {

    private static final String MODEL = "gpt-4o";
    private static final int MAX_TOKENS = 2000;
    private static final long LIMIT = 30_000;
    private static final String LIMIT_USD = "0.03";
    private static final String DOCS = "https://nullspend.dev/docs/errors/";
    /** Long enough that the breaker stays open through every way of calling, however slow the machine. */
    private static final int VELOCITY_COOLDOWN_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every client and way of calling it: the {@link ClientApp} driver and mode, with the class of what the
     * program gets on a denial when it is not the denial itself (the same as each client's contract test says).
     */
    enum Via {
        JDK_SEND(JdkDriver.class, "sync", null),
        JDK_SEND_ASYNC(JdkDriver.class, "async", null),
        OKHTTP_EXECUTE(OkHttpDriver.class, "sync", null),
        /** An interceptor can fail an enqueued call only with an IOException (docs/architecture.md, OkHttp). */
        OKHTTP_ENQUEUE(OkHttpDriver.class, "async", "dev.nullspend.agent.exchange.NullSpendDeniedIOException"),
        HC4(Hc4Driver.class, "sync", null),
        HC5(Hc5Driver.class, "sync", null),
        /** {@code Future.get()} wraps every failure. */
        HC5_ASYNC_FUTURE(Hc5AsyncDriver.class, "sync", "java.util.concurrent.ExecutionException"),
        HC5_ASYNC_CALLBACK(Hc5AsyncDriver.class, "async", null),
        /** {@code HttpURLConnection}'s API throws only IOExceptions; buffered by the JDK, and chunked streaming. */
        URLCONN_SYNC(UrlConnectionDriver.class, "sync", "dev.nullspend.agent.exchange.NullSpendDeniedIOException"),
        URLCONN_CHUNKED(UrlConnectionDriver.class, "chunked", "dev.nullspend.agent.exchange.NullSpendDeniedIOException"),
        REACTOR_BLOCK(ReactorNettyDriver.class, "sync", null),
        REACTOR_SUBSCRIBE(ReactorNettyDriver.class, "async", null),
        VERTX_CLIENT(VertxDriver.class, "client", null),
        VERTX_WEB(VertxDriver.class, "web", null);

        final String driver;
        final String mode;
        final String carrier;
        /** A name of the way, for the request's {@code user} field. */
        final String arg;

        Via(Class<? extends ClientDriver> driver, String mode, String carrier) {
            this.driver = driver.getSimpleName();
            this.mode = mode;
            this.carrier = carrier;
            this.arg = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The request's {@code user} field: of one width for every way, so every body has the same estimate. */
        String user() {
            return String.format("%-18s", arg).replace(' ', '.');
        }
    }

    /**
     * The tag and session kinds take their attribution from the configuration; the customer kind from a
     * {@code NullSpend.attribute()} scope around each call, which must reach calls that a client begins on
     * its own thread too (OkHttp's {@code enqueue()}).
     */
    enum Kind {
        BUDGET, CUSTOMER_BUDGET, TAG_BUDGET, SESSION, VELOCITY, LOOP, MANDATE_MODEL, MANDATE_PROVIDER;

        /** Whether the JVM first makes one admitted call, whose cost the denials then show as spend. */
        boolean spends() {
            return ordinal() <= VELOCITY.ordinal();
        }
    }

    @TempDir
    Path workDir;
    private FakeProviderServer server;

    @BeforeEach
    void fakes(Fakes fakes) {
        server = fakes.provider();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyWayOfCallingGetsTheExactDenialAndNothingIsSent(Kind kind) throws IOException {
        int bodyBytes = ClientApp.chatBody(MODEL, MAX_TOKENS, Via.JDK_SEND.user()).getBytes(StandardCharsets.UTF_8).length;
        int inputTokens = (bodyBytes + 3) / 4;
        long estimate = ExpectedCost.openAiEstimate(MODEL, bodyBytes, MAX_TOKENS);
        FakeUsage warmUp = new FakeUsage(inputTokens, 0, 1500 + kind.ordinal(), 0);
        long spent = ExpectedCost.openAiChat(MODEL, warmUp).total();
        assertThat(estimate).as("the test's premise: one call fits, two do not").isLessThanOrEqualTo(LIMIT);
        assertThat(spent + estimate).isGreaterThan(LIMIT);
        Path budgets = budgetsFile();

        List<String> args = new ArrayList<>();
        if (kind.spends()) {
            addCall(args, kind, Via.JDK_SEND, server.chatCompletionsUrl(Scenario.OK, warmUp), "warm-up");
        }
        List<ExpectedCall> billed = new ArrayList<>();
        Map<Via, String> paths = new LinkedHashMap<>();
        for (Via via : Via.values()) {
            // each call's own usage: its own path at the provider, and (for the loop's billed calls) its own event
            FakeUsage usage = new FakeUsage(1000 + 100L * kind.ordinal() + via.ordinal(), 0, 100, 0); // paths of their own per kind (fewer than 100 vias)
            String url = server.chatCompletionsUrl(Scenario.OK, usage);
            paths.put(via, URI.create(url).getPath());
            addCall(args, kind, via, url, via.user());
            if (kind == Kind.LOOP) {
                addCall(args, kind, via, url, via.user());
                billed.add(new ExpectedCall(MODEL, usage));
            }
        }

        // Eight clients and fourteen ways in one JVM on a loaded machine: more time than the default minute.
        ForkedJvm.Builder jvm = ForkedJvm.in(workDir).mainClass(ClientApp.class).args(args.toArray(String[]::new))
                .timeout(Duration.ofMinutes(3));
        settings(kind, budgets).forEach(jvm::systemProperty);
        ForkedJvm.Result run = jvm.run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stderrLines()).as("no exception escaped to a thread\n%s", run.describe())
                .noneMatch(line -> line.startsWith("Exception in thread"));
        List<JsonNode> results = ClientContractIT.results(run);
        assertThat(results).as(run.describe())
                .hasSize((kind.spends() ? 1 : 0) + Via.values().length * (kind == Kind.LOOP ? 2 : 1));
        int i = 0;
        if (kind.spends()) {
            assertThat(results.get(i++).path("status").asInt()).as("the warm-up call\n%s", run.describe()).isEqualTo(200);
            if (kind == Kind.TAG_BUDGET) {
                assertThat(run.ledger()).as(run.describe()).hasSize(1);
                assertThat(run.ledger().get(0).path("costMicrodollars").asLong()).isEqualTo(spent);
                assertThat(run.ledger().get(0).path("tags").toString()).isEqualTo("{\"team\":\"search\"}");
            } else {
                assertSingleExactOpenAiEvent(run, MODEL, warmUp);
            }
            assertThat(server.requestCount(URI.create(server.chatCompletionsUrl(Scenario.OK, warmUp)).getPath())).isEqualTo(1);
        }
        int previousRetryAfter = VELOCITY_COOLDOWN_SECONDS;
        long elapsedSeconds = run.elapsed().toSeconds() + 1;
        String firstMessage = null;
        for (Via via : Via.values()) {
            if (kind == Kind.LOOP) {
                assertThat(results.get(i++).path("status").asInt()).as("%s: the first of two identical calls\n%s", via,
                        run.describe()).isEqualTo(200);
            }
            JsonNode result = results.get(i++);
            String context = via + ": " + result + "\n" + run.describe();
            assertThat(result.path("driver").asText() + " " + result.path("mode").asText()).isEqualTo(via.driver + " " + via.mode);
            JsonNode denial = result.path("denial");
            int retryAfter = 0;
            if (kind == Kind.VELOCITY) {
                retryAfter = denial.path("fields").path("retryAfterSeconds").asInt();
                assertThat(retryAfter).as("the cool-down left, counting down; %s", context)
                        .isBetween((int) Math.max(1, VELOCITY_COOLDOWN_SECONDS - elapsedSeconds), previousRetryAfter);
                previousRetryAfter = retryAfter;
            }
            ObjectNode expected = expectedDenial(kind, via == Via.JDK_SEND, spent, estimate, budgets, retryAfter);
            assertThat(result.path("error").asText()).as(context)
                    .isEqualTo(via.carrier == null ? expected.path("class").asText() : via.carrier);
            // parsed back from text, so that its numbers are of the node types the program's line gives too
            assertThat(denial).as(context).isEqualTo(JSON.readTree(expected.toString()));
            assertThat(server.requestCount(paths.get(via))).as("%s: the provider received %s; %s", via,
                    kind == Kind.LOOP ? "the first call only" : "nothing", server.requestCounts())
                    .isEqualTo(kind == Kind.LOOP ? 1 : 0);
            if (firstMessage == null) {
                firstMessage = denial.path("message").asText();
            }
        }
        if (kind == Kind.LOOP) {
            assertExactOpenAiEvents(run, billed);
        } else if (!kind.spends()) {
            assertThat(run.ledger()).as(run.describe()).isEmpty();
        }
        String code = results.get(results.size() - 1).path("denial").path("code").asText();
        assertThat(run.agentLines()).as("the first denial of a kind is logged, once\n%s", run.describe())
                .filteredOn(line -> line.startsWith("[nullspend] WARN denied a call: "))
                .containsExactly("[nullspend] WARN denied a call: " + firstMessage + " (later " + code
                        + " denials reach the program without a log line)");
    }

    private void addCall(List<String> args, Kind kind, Via via, String url, String user) {
        if (!args.isEmpty()) {
            args.add("--");
        }
        args.addAll(List.of("driver=" + via.driver, "mode=" + via.mode, "url=" + url, "chat=" + MODEL,
                "max-tokens=" + MAX_TOKENS, "user=" + user));
        if (kind == Kind.CUSTOMER_BUDGET) {
            args.add("customer=acme-corp");
        }
    }

    /** A tag and a customer budget of $0.03 each; a call is covered by the one whose tag or customer it carries. */
    private Path budgetsFile() throws IOException {
        Path file = workDir.resolve("budgets.json");
        Files.writeString(file, "[{\"entityType\":\"tag\",\"entityId\":\"team=search\",\"maxBudgetMicrodollars\":" + LIMIT + "},"
                + "{\"entityType\":\"customer\",\"entityId\":\"acme-corp\",\"maxBudgetMicrodollars\":" + LIMIT + "}]");
        return file;
    }

    private static Map<String, String> settings(Kind kind, Path budgets) {
        return switch (kind) {
            case BUDGET -> Map.of("nullspend.budget.limit-usd", LIMIT_USD);
            case CUSTOMER_BUDGET -> Map.of("nullspend.budgets-file", budgets.toString());
            case TAG_BUDGET -> Map.of("nullspend.budgets-file", budgets.toString(), "nullspend.tags", "team=search");
            case SESSION -> Map.of("nullspend.session.id", "run-7", "nullspend.session.limit-usd", LIMIT_USD);
            case VELOCITY -> Map.of("nullspend.velocity.limit-usd", LIMIT_USD,
                    "nullspend.velocity.cooldown-seconds", String.valueOf(VELOCITY_COOLDOWN_SECONDS));
            case LOOP -> Map.of("nullspend.loop.max-calls", "2");
            case MANDATE_MODEL -> Map.of("nullspend.allowed-models", "gpt-4o-mini");
            case MANDATE_PROVIDER -> Map.of("nullspend.allowed-providers", "anthropic,google");
        };
    }

    /**
     * Every figure of the denial the program must get, as {@code DenialFigures} reports it.
     *
     * @param first      whether it is the first denied call of the run (velocity: the one that trips the breaker)
     * @param retryAfter velocity: the cool-down the program was told is left (checked against the run's duration)
     */
    private static ObjectNode expectedDenial(Kind kind, boolean first, long spent, long estimate, Path budgets,
                                             int retryAfter) {
        String shortfall = "this call may cost up to " + usd(estimate) + " but only " + usd(LIMIT - spent) + " of the "
                + usd(LIMIT) + " limit is left (" + usd(spent) + " spent).";
        return switch (kind) {
            case BUDGET -> budget("user", "process", spent, estimate, "Budget exceeded on user/process: " + shortfall
                    + " Raise nullspend.budget.limit-usd. See " + DOCS + "budget-exceeded");
            case CUSTOMER_BUDGET -> budget("customer", "acme-corp", spent, estimate, "Budget exceeded on customer/acme-corp: "
                    + shortfall + " Raise maxBudgetMicrodollars of budget [1] in " + budgets + ". See " + DOCS + "budget-exceeded");
            case TAG_BUDGET -> {
                ObjectNode d = denial("dev.nullspend.api.TagBudgetExceededException", "tag_budget_exceeded",
                        "Tag budget exceeded for team=search: " + shortfall + " Raise maxBudgetMicrodollars of budget [0] in "
                                + budgets + ". See " + DOCS + "tag-budget", false, true, null, "tag-budget");
                d.putObject("fields").put("tagKey", "team").put("tagValue", "search").put("limit", LIMIT).put("spend", spent)
                        .put("estimate", estimate).put("reserved", 0).put("remaining", LIMIT - spent);
                yield d;
            }
            case SESSION -> {
                ObjectNode d = denial("dev.nullspend.api.SessionLimitExceededException", "session_limit_exceeded",
                        "Session limit exceeded for session run-7: " + shortfall + " Start a new session (another"
                                + " nullspend.session.id) or raise nullspend.session.limit-usd. See " + DOCS + "session-limit",
                        false, false, null, "session-limit");
                d.putObject("fields").put("sessionId", "run-7").put("limit", LIMIT).put("spend", spent).put("estimate", estimate)
                        .put("reserved", 0);
                yield d;
            }
            case VELOCITY -> velocityDenial(first, spent, estimate, retryAfter);
            case LOOP -> {
                ObjectNode d = denial("dev.nullspend.api.LoopDetectedException", "loop_detected", "Loop detected: gpt-4o called 2"
                        + " times with identical content in 60s. The program is probably repeating the same request; this"
                        + " request is refused for 5s. Fix the loop, or adjust nullspend.loop.max-calls (max calls 2, 0 disables"
                        + " detection). See " + DOCS + "loop-detected", true, false, 5, "loop-detected");
                d.putObject("fields").put("provider", "openai").put("model", MODEL).put("callCount", 2).put("windowSeconds", 60)
                        .put("maxCalls", 2).put("detectionType", "per_key");
                yield d;
            }
            case MANDATE_MODEL -> mandate("allowed_models", "model", MODEL, List.of("gpt-4o-mini"), "nullspend.allowed-models");
            case MANDATE_PROVIDER -> mandate("allowed_providers", "provider", "openai", List.of("anthropic", "google"),
                    "nullspend.allowed-providers");
        };
    }

    /**
     * The call that trips the breaker (the first after the admitted one, which left spend A in the window)
     * is told the full cool-down; later ones the cool-down left, as {@code retryAfter}, and the rate the
     * breaker tripped at.
     */
    private static ObjectNode velocityDenial(boolean tripping, long spent, long estimate, int retryAfter) {
        String message = tripping
                ? "Spend velocity exceeded: " + usd(spent) + " spent in the last 60s, and this call may cost up to "
                        + usd(estimate) + ", against a limit of " + usd(LIMIT) + " per 60s. Calls are paused for "
                        + VELOCITY_COOLDOWN_SECONDS + "s; raise nullspend.velocity.limit-usd if this rate is expected. See "
                        + DOCS + "velocity"
                : "Spend velocity breaker open: spend reached " + usd(spent) + " in 60s against a limit of " + usd(LIMIT)
                        + " per 60s. Calls resume in " + retryAfter + "s; raise nullspend.velocity.limit-usd if this rate"
                        + " is expected. See " + DOCS + "velocity";
        ObjectNode d = denial("dev.nullspend.api.VelocityExceededException", "velocity_exceeded", message, true, false,
                tripping ? VELOCITY_COOLDOWN_SECONDS : retryAfter, "velocity");
        d.putObject("fields").put("limit", LIMIT).put("windowSeconds", 60).put("current", spent)
                .put("retryAfterSeconds", tripping ? VELOCITY_COOLDOWN_SECONDS : retryAfter);
        return d;
    }

    private static ObjectNode budget(String entityType, String entityId, long spent, long estimate, String message) {
        ObjectNode d = denial("dev.nullspend.api.BudgetExceededException", "budget_exceeded", message, false, true, null,
                "budget-exceeded");
        d.putObject("fields").put("entityType", entityType).put("entityId", entityId).put("limit", LIMIT).put("spend", spent)
                .put("estimate", estimate).put("reserved", 0).put("remaining", LIMIT - spent);
        return d;
    }

    private static ObjectNode mandate(String mandate, String what, String requested, List<String> allowed, String key) {
        ObjectNode d = denial("dev.nullspend.api.MandateViolationException", "mandate_violation", "Mandate violation: " + what
                + " " + requested + " is not allowed (" + mandate + ": " + String.join(", ", allowed) + "). Call an allowed "
                + what + ", or ask the owner to extend " + key + ". See " + DOCS + "mandate-violation", false, true, null,
                "mandate-violation");
        ObjectNode fields = d.putObject("fields").put("mandate", mandate).put("requested", requested);
        allowed.forEach(fields.putArray("allowed")::add);
        return d;
    }

    private static ObjectNode denial(String type, String code, String message, boolean retryable, boolean ownerAction,
                                     Integer retryAfter, String docsPage) {
        ObjectNode d = JSON.createObjectNode().put("class", type).put("code", code).put("message", message);
        ObjectNode recovery = d.putObject("recovery").put("retryable", retryable).put("ownerActionRequired", ownerAction);
        if (retryAfter == null) {
            recovery.putNull("retryAfterSeconds");
        } else {
            recovery.put("retryAfterSeconds", retryAfter);
        }
        recovery.put("docs", DOCS + docsPage);
        return d;
    }
}
