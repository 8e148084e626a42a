package dev.nullspend.it;

import static dev.nullspend.it.BedrockCalls.ANTHROPIC_BODY;
import static dev.nullspend.it.BedrockCalls.GLOBAL_SONNET;
import static dev.nullspend.it.BedrockCalls.HAIKU;
import static dev.nullspend.it.BedrockCalls.NOVA_LITE;
import static dev.nullspend.it.BedrockCalls.NOVA_PRO;
import static dev.nullspend.it.BedrockCalls.SONNET_37;
import static dev.nullspend.it.BedrockCalls.US_SONNET;
import static dev.nullspend.it.BedrockCalls.bedrockEvent;
import static dev.nullspend.it.BedrockCalls.encoded;
import static dev.nullspend.it.support.EventAssertions.assertExactEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.fake.FakeBedrockServer;
import dev.nullspend.it.support.EventAssertions.Breakdown;
import dev.nullspend.it.support.EventAssertions.ExpectedEvent;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS Bedrock under the built agent with the real AWS SDK for Java v2 (it-apps/aws-bedrock, bedrockruntime
 * 2.59.1): the sync client on each of its HTTP clients (its default Apache HttpClient 5, Apache HttpClient 4,
 * {@code url-connection-client}) for Converse and InvokeModel, and the two streamed operations signed by the
 * SDK's SigV4 signer and sent on the same HTTP client (the sync client has no streamed methods; the async
 * client's are on Netty, in BedrockAsyncIT); and Anthropic's Java SDK on its Bedrock backend
 * ({@code anthropic-java-bedrock}: signed by the AWS SDK, sent over OkHttp), plain and streamed. The fake Bedrock ({@link FakeBedrockServer}) checks every signature as AWS does and
 * speaks the real event-stream framing; it listens on 127.0.0.1, which {@code nullspend.providers.extra-hosts}
 * names for {@code bedrock}, as a VPC endpoint or a gateway would be named.
 *
 * <p>Every call gives one event with the tokens and microdollars of its docs/providers/cost-vectors.md vector
 * (#26–#31); every request reached the fake with its signature intact (the agent never changes a Bedrock
 * request); a stream cut before its {@code metadata} event is billed once, at its estimate; a call over the
 * budget is denied before any byte leaves the program.
 */
class BedrockIT {

    private static final String CONVERSE_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],"
            + "\"inferenceConfig\":{\"maxTokens\":256}}";
    private static final Map<String, String> NO_TAGS = Map.of();
    /** The sync client's HTTP clients, as the program's call prefixes: its default (Apache 5), Apache 4, HttpURLConnection. */
    private static final List<String> SYNC_CLIENTS = List.of("", "apache4:", "urlconnection:");

    /** One per test: the tests run concurrently, and each counts what its server received. */
    private FakeBedrockServer bedrock;

    @TempDir
    Path workDir;

    @BeforeEach
    void startServer() {
        bedrock = FakeBedrockServer.start();
    }

    @AfterEach
    void stopServer() {
        bedrock.close();
    }

    @Test
    void everyOperationOnEverySyncHttpClientIsExactToTheMicrodollarAndEveryRequestArrivesAsSigned() {
        List<String> args = new ArrayList<>();
        for (String client : SYNC_CLIENTS) {
            args.addAll(List.of(call(client + "converse", "/u/1200-2000-500-0-300", GLOBAL_SONNET, "Hi"),
                    call(client + "converse", "/u/1200-2000-500-0-300", US_SONNET, "Hi"),
                    call(client + "converse", "/u/1000-0-0-0-500", NOVA_PRO, "Hi"),
                    call(client + "invoke", "/u/2000-0-0-0-400", HAIKU, ANTHROPIC_BODY),
                    call(client + "invoke-with-response-stream", "/u/3000-1000-0-0-250", GLOBAL_SONNET, ANTHROPIC_BODY),
                    call(client + "converse-stream", "/u/100-0-0-4000-50", SONNET_37, CONVERSE_BODY)));
        }
        args.addAll(List.of(call("converse-stream", "/s/truncated/u/500-0-0-0-70", NOVA_LITE, CONVERSE_BODY),
                call("anthropic:invoke", "/u/2000-0-0-0-400", HAIKU, "Hi"),
                call("anthropic:invoke-with-response-stream", "/u/3000-1000-0-0-250", GLOBAL_SONNET, "Hi")));
        // The same calls again on each client are, to the loop detector, a program cycling through five models.
        ForkedJvm.Result run = program().systemProperty("nullspend.loop.aggregate-max-keys", "0")
                .args(args.toArray(String[]::new)).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> out = run.stdoutLines();
        assertThat(out).as(run.describe()).hasSize(21);
        List<ExpectedEvent> expected = new ArrayList<>();
        List<FakeBedrockServer.Received> received = bedrock.received();
        assertThat(received).as(run.describe()).hasSize(21);
        assertThat(received).allSatisfy(r -> assertThat(r.signatureValid()).as(r.rawPath()).isTrue());
        for (int c = 0; c < SYNC_CLIENTS.size(); c++) {
            int at = c * 6;
            // The SDK parsed the fake's answers as they were sent: its own usage objects and text.
            assertThat(out.get(at)).as(run.describe()).isEqualTo("usage=1200/2000/500/300 text=" + FakeBedrockServer.TEXT);
            assertThat(out.get(at + 1)).isEqualTo("usage=1200/2000/500/300 text=" + FakeBedrockServer.TEXT);
            assertThat(out.get(at + 2)).isEqualTo("usage=1000/0/0/500 text=" + FakeBedrockServer.TEXT);
            assertThat(out.get(at + 3)).isEqualTo(out.get(3)).startsWith("body=");
            // The program's own event-stream decoder (CRCs checked) read every message the fake wrote.
            assertThat(out.get(at + 4)).isEqualTo(out.get(4))
                    .startsWith("status=200 messages=6 ").endsWith(" events=chunk,chunk,chunk,chunk,chunk,chunk,");
            assertThat(out.get(at + 5)).isEqualTo(out.get(5)).startsWith("status=200 messages=6 ")
                    .endsWith(" events=messageStart,contentBlockDelta,contentBlockDelta,contentBlockStop,messageStop,metadata,");

            assertThat(received.subList(at, at + 6)).extracting(FakeBedrockServer.Received::rawPath).containsExactly(
                    "/u/1200-2000-500-0-300/model/" + encoded(GLOBAL_SONNET) + "/converse",
                    "/u/1200-2000-500-0-300/model/" + encoded(US_SONNET) + "/converse",
                    "/u/1000-0-0-0-500/model/" + encoded(NOVA_PRO) + "/converse",
                    "/u/2000-0-0-0-400/model/" + encoded(HAIKU) + "/invoke",
                    "/u/3000-1000-0-0-250/model/" + encoded(GLOBAL_SONNET) + "/invoke-with-response-stream",
                    "/u/100-0-0-4000-50/model/" + encoded(SONNET_37) + "/converse-stream");
            // Every HTTP client sent the same bytes; the bodies the program wrote itself arrived byte for byte.
            for (int i = 0; i < 6; i++) {
                assertThat(received.get(at + i).body()).as(received.get(at + i).rawPath()).isEqualTo(received.get(i).body());
            }
            assertThat(new String(received.get(at + 3).body(), StandardCharsets.UTF_8)).isEqualTo(ANTHROPIC_BODY);
            assertThat(new String(received.get(at + 4).body(), StandardCharsets.UTF_8)).isEqualTo(ANTHROPIC_BODY);
            assertThat(new String(received.get(at + 5).body(), StandardCharsets.UTF_8)).isEqualTo(CONVERSE_BODY);

            expected.addAll(List.of(
                    // #26: 1200 × 3 + 2000 × 0.30 + 500 × 3.75 + 300 × 15 = 3600 + 600 + 1875 + 4500
                    bedrockEvent(GLOBAL_SONNET, 3700, 2000, 300, 10_575, new Breakdown(3600, 2475, 4500, 0), NO_TAGS),
                    // #27: the same at the regional rates (× 1.1): 3960 + 660 + 2062.5 + 4950 = 11,632.5 → 11,633
                    bedrockEvent(US_SONNET, 3700, 2000, 300, 11_633, new Breakdown(3960, 2723, 4950, 0), NO_TAGS),
                    // #28: 1000 × 0.80 + 500 × 3.20
                    bedrockEvent(NOVA_PRO, 1000, 0, 500, 2_400, new Breakdown(800, 0, 1600, 0), NO_TAGS),
                    // #29: in-region Haiku 4.5, × 1.1: 2000 × 1.1 + 400 × 5.5
                    bedrockEvent(HAIKU, 2000, 0, 400, 4_400, new Breakdown(2200, 0, 2200, 0), NO_TAGS),
                    // #30: 3000 × 3 + 1000 × 0.30 + 250 × 15
                    bedrockEvent(GLOBAL_SONNET, 4000, 1000, 250, 13_050, new Breakdown(9000, 300, 3750, 0), NO_TAGS),
                    // #31: earlier model, no premium: 100 × 3 + 4000 × 6 (1-hour writes) + 50 × 15
                    bedrockEvent(SONNET_37, 4100, 0, 50, 25_050, new Breakdown(300, 24_000, 750, 0), NO_TAGS)));
        }
        assertThat(out.get(18)).as(run.describe()).startsWith("status=200 messages=4 ").contains(" cut=");
        assertThat(received.get(18).rawPath()).isEqualTo("/s/truncated/u/500-0-0-0-70/model/" + encoded(NOVA_LITE) + "/converse-stream");
        // cut before metadata: the estimate, ceil(92 / 4) = 23 × 0.06 + 256 × 0.24 = 62.82 × 1.1 = 69.102 → 69
        expected.add(new ExpectedEvent("bedrock", NOVA_LITE, 0, 0, 0, 0, 69, null,
                Map.of("_ns_estimated", "true", "_ns_cancelled", "true")));

        // Anthropic's SDK on its Bedrock backend (signed by the AWS SDK, sent over OkHttp) parsed what the fake sent.
        assertThat(out.get(19)).as(run.describe()).isEqualTo("usage=2000/0/0/400 text=Hello from the fake provider.");
        assertThat(out.get(20)).as(run.describe()).isEqualTo("events=message_start,content_block_start,content_block_delta,"
                + "content_block_stop,message_delta,message_stop output=250");
        assertThat(received.subList(19, 21)).extracting(FakeBedrockServer.Received::rawPath).containsExactly(
                "/u/2000-0-0-0-400/model/" + HAIKU + "/invoke",
                "/u/3000-1000-0-0-250/model/" + GLOBAL_SONNET + "/invoke-with-response-stream");
        expected.addAll(List.of(
                bedrockEvent(HAIKU, 2000, 0, 400, 4_400, new Breakdown(2200, 0, 2200, 0), NO_TAGS),
                bedrockEvent(GLOBAL_SONNET, 4000, 1000, 250, 13_050, new Breakdown(9000, 300, 3750, 0), NO_TAGS)));
        assertExactEvents(run, expected);
    }

    @Test
    void aCallOverTheBudgetIsDeniedBeforeAnyByteLeavesTheProgram() {
        ForkedJvm.Result run = program()
                .systemProperty("nullspend.budget.limit-usd", "0.001")
                .args(call("converse", "/u/1200-2000-500-0-300", GLOBAL_SONNET, "Hi"),
                        call("converse-stream", "/u/100-0-0-4000-50", SONNET_37, CONVERSE_BODY))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        // The SDK surfaces the agent's BudgetExceededException itself, unwrapped, from converse (and so does its
        // Apache 5 client from a streamed call). Estimates: the SDK's 93-byte Converse body, ceil(93 / 4) = 24 × 3
        // + 1024 × 15 = 15,432 × 1.1 → 16,975 µ$; the 92-byte ConverseStream body, 23 × 3 + 256 × 15 = 3909 × 1.1
        // → 4,300 µ$ (Sonnet 3.7).
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "error=dev.nullspend.api.BudgetExceededException: Budget exceeded on user/process: this call may cost up to"
                        + " $0.016975 but only $0.001 of the $0.001 limit is left ($0.00 spent). Raise nullspend.budget.limit-usd."
                        + " See https://nullspend.dev/docs/errors/budget-exceeded",
                "error=dev.nullspend.api.BudgetExceededException: Budget exceeded on user/process: this call may cost up to"
                        + " $0.0043 but only $0.001 of the $0.001 limit is left ($0.00 spent). Raise nullspend.budget.limit-usd."
                        + " See https://nullspend.dev/docs/errors/budget-exceeded");
        assertThat(bedrock.received()).as("requests that reached Bedrock").isEmpty();
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    private ForkedJvm.Builder program() {
        return BedrockCalls.program(workDir, "127.0.0.1:" + bedrock.port());
    }

    private String call(String operation, String options, String model, String body) {
        return BedrockCalls.call(bedrock, operation, options, model, body);
    }

}
