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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS Bedrock through the AWS SDK for Java v2's async client ({@code BedrockRuntimeAsyncClient}, 2.59.1) on its
 * Netty client ({@code netty-nio-client}), under the built agent: over HTTP/2 (prior knowledge, h2c: what the
 * SDK speaks to an {@code http} endpoint with HTTP/2, Bedrock's default) to a fake Bedrock on Netty's HTTP/2
 * server, whose event streams go out in DATA frames of 37 bytes (every event-stream message arrives split),
 * and over HTTP/1.1 ({@code protocol(HTTP1_1)}) to the same fake on the JDK's server. Both fakes check every
 * SigV4 signature as AWS does ({@link FakeBedrockServer}).
 *
 * <p>Each call gives one event with the tokens and microdollars of its docs/providers/cost-vectors.md vector,
 * the same on both protocols; the SDK parses what it got as without the agent; every request arrives as signed
 * (the agent never changes a Bedrock request); a stream cut before its end (a reset HTTP/2 stream, a dropped
 * HTTP/1.1 connection) is billed once, at its estimate; a call over the budget fails its future (the SDK's
 * {@code SdkClientException} with the agent's typed exception as its cause) before any byte leaves the program.
 */
class BedrockAsyncIT {

    private static final int DATA_FRAME_SIZE = 37;
    private static final Map<String, String> CUT = Map.of("_ns_estimated", "true", "_ns_cancelled", "true");

    private FakeBedrockServer h2;
    private FakeBedrockServer h1;

    @TempDir
    Path workDir;

    @BeforeEach
    void startServers() {
        h2 = FakeBedrockServer.startHttp2(DATA_FRAME_SIZE);
        h1 = FakeBedrockServer.start();
    }

    @AfterEach
    void stopServers() {
        h2.close();
        h1.close();
    }

    @Test
    void everyOperationOnHttp2AndHttp11IsExactToTheMicrodollarAndArrivesAsSigned() {
        String[] calls = {
            call(h2, "h2:converse", "/u/1200-2000-500-0-300", GLOBAL_SONNET, "Hi"),
            call(h2, "h2:invoke", "/u/2000-0-0-0-400", HAIKU, ANTHROPIC_BODY),
            call(h2, "h2:invoke-with-response-stream", "/u/3000-1000-0-0-250", GLOBAL_SONNET, ANTHROPIC_BODY),
            call(h2, "h2:converse-stream", "/u/100-0-0-4000-50", SONNET_37, "Hi"),
            call(h2, "h2:converse-stream", "/s/truncated/u/500-0-0-0-70", NOVA_LITE, "Hi"),
            call(h1, "h1:converse", "/u/1200-2000-500-0-300", US_SONNET, "Hi"),
            call(h1, "h1:invoke", "/u/2100-0-0-0-410", HAIKU, ANTHROPIC_BODY),
            call(h1, "h1:invoke-with-response-stream", "/u/3100-1100-0-0-260", GLOBAL_SONNET, ANTHROPIC_BODY),
            call(h1, "h1:converse-stream", "/u/110-0-0-4100-55", SONNET_37, "Hi"),
            call(h1, "h1:converse-stream", "/s/truncated/u/500-0-0-0-70", NOVA_PRO, "Hi")};
        ForkedJvm.Result run = program().args(calls).run();
        ForkedJvm.Result bare = program().agent(false).args(calls).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> out = run.stdoutLines();
        assertThat(out).as("what the program got, with and without the agent\n%s", run.describe())
                .hasSize(10).isEqualTo(bare.stdoutLines());
        // The SDK parsed every answer as the fake sent it: its usage objects, text, decoded events.
        String streamEvents = "events=messageStart,contentBlockDelta,contentBlockDelta,contentBlockStop";
        assertThat(out.get(0)).isEqualTo("usage=1200/2000/500/300 text=" + FakeBedrockServer.TEXT);
        assertThat(out.get(1)).startsWith("body=");
        assertThat(out.get(2)).startsWith("events=chunk,chunk,chunk,chunk,chunk,chunk sha256=");
        assertThat(out.get(3)).isEqualTo(streamEvents + ",messageStop,metadata usage=100/0/4000/50");
        // A cut stream (reset, or the connection dropped) ends the SDK's event stream early, without its metadata.
        assertThat(out.get(4)).isEqualTo(streamEvents + " usage=none");
        assertThat(out.get(5)).isEqualTo("usage=1200/2000/500/300 text=" + FakeBedrockServer.TEXT);
        assertThat(out.get(8)).isEqualTo(streamEvents + ",messageStop,metadata usage=110/0/4100/55");
        assertThat(out.get(9)).isEqualTo(streamEvents + " usage=none");

        // Each server got its five calls from the run with the agent, then the same five without it, byte for byte.
        for (FakeBedrockServer server : List.of(h2, h1)) {
            List<FakeBedrockServer.Received> received = server.received();
            assertThat(received).hasSize(10);
            assertThat(received).allSatisfy(r -> assertThat(r.signatureValid()).as(r.rawPath()).isTrue());
            for (int i = 0; i < 5; i++) {
                assertThat(received.get(i).rawPath()).isEqualTo(received.get(i + 5).rawPath());
                assertThat(received.get(i).body()).as(received.get(i).rawPath()).isEqualTo(received.get(i + 5).body());
            }
            assertThat(new String(received.get(1).body(), StandardCharsets.UTF_8)).isEqualTo(ANTHROPIC_BODY);
            assertThat(new String(received.get(2).body(), StandardCharsets.UTF_8)).isEqualTo(ANTHROPIC_BODY);
        }
        assertThat(h2.received().subList(0, 5)).extracting(FakeBedrockServer.Received::rawPath).containsExactly(
                "/u/1200-2000-500-0-300/model/" + encoded(GLOBAL_SONNET) + "/converse",
                "/u/2000-0-0-0-400/model/" + encoded(HAIKU) + "/invoke",
                "/u/3000-1000-0-0-250/model/" + encoded(GLOBAL_SONNET) + "/invoke-with-response-stream",
                "/u/100-0-0-4000-50/model/" + encoded(SONNET_37) + "/converse-stream",
                "/s/truncated/u/500-0-0-0-70/model/" + encoded(NOVA_LITE) + "/converse-stream");

        assertExactEvents(run, List.of(
                // #26: 1200 × 3 + 2000 × 0.30 + 500 × 3.75 + 300 × 15
                bedrockEvent(GLOBAL_SONNET, 3700, 2000, 300, 10_575, new Breakdown(3600, 2475, 4500, 0)),
                // #29: in-region Haiku 4.5, × 1.1: 2000 × 1.1 + 400 × 5.5
                bedrockEvent(HAIKU, 2000, 0, 400, 4_400, new Breakdown(2200, 0, 2200, 0)),
                // #30: 3000 × 3 + 1000 × 0.30 + 250 × 15
                bedrockEvent(GLOBAL_SONNET, 4000, 1000, 250, 13_050, new Breakdown(9000, 300, 3750, 0)),
                // #31: 100 × 3 + 4000 × 6 (1-hour writes) + 50 × 15
                bedrockEvent(SONNET_37, 4100, 0, 50, 25_050, new Breakdown(300, 24_000, 750, 0)),
                // cut: the estimate of the SDK's 92-byte body, ceil(92 / 4) = 23 × 0.06 + 256 × 0.24 = 62.82 × 1.1 → 69
                new ExpectedEvent("bedrock", NOVA_LITE, 0, 0, 0, 0, 69, null, CUT),
                // #27: #26 at the regional rates (× 1.1): 3960 + 660 + 2062.5 + 4950 = 11,632.5 → 11,633
                bedrockEvent(US_SONNET, 3700, 2000, 300, 11_633, new Breakdown(3960, 2723, 4950, 0)),
                // 2100 × 1.1 + 410 × 5.5 = 2310 + 2255
                bedrockEvent(HAIKU, 2100, 0, 410, 4_565, new Breakdown(2310, 0, 2255, 0)),
                // 3100 × 3 + 1100 × 0.30 + 260 × 15 = 9300 + 330 + 3900
                bedrockEvent(GLOBAL_SONNET, 4200, 1100, 260, 13_530, new Breakdown(9300, 330, 3900, 0)),
                // 110 × 3 + 4100 × 6 + 55 × 15 = 330 + 24,600 + 825
                bedrockEvent(SONNET_37, 4210, 0, 55, 25_755, new Breakdown(330, 24_600, 825, 0)),
                // cut: 23 × 0.80 + 256 × 3.20 = 837.6 × 1.1 = 921.36 → 921
                new ExpectedEvent("bedrock", NOVA_PRO, 0, 0, 0, 0, 921, null, CUT)));
    }

    @Test
    void aCallOverTheBudgetFailsItsFutureWithTheDenialBeforeAnyByteLeaves() {
        ForkedJvm.Result run = program()
                .systemProperty("nullspend.budget.limit-usd", "0.001")
                .args(call(h2, "h2:converse", "/u/1200-2000-500-0-300", GLOBAL_SONNET, "Hi"),
                        call(h2, "h2:converse-stream", "/u/100-0-0-4000-50", SONNET_37, "Hi"),
                        call(h1, "h1:converse", "/u/1200-2000-500-0-300", GLOBAL_SONNET, "Hi"),
                        call(h1, "h1:converse-stream", "/u/100-0-0-4000-50", SONNET_37, "Hi"))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        // Estimates: the 93-byte Converse body, ceil(93 / 4) = 24 × 3 + 1024 × 15 = 15,432 × 1.1 → 16,975 µ$; the
        // 92-byte ConverseStream body, 23 × 3 + 256 × 15 = 3909 × 1.1 → 4,300 µ$ (Sonnet 3.7).
        // The SDK fails the future with its SdkClientException, the agent's typed exception as its cause.
        String converse = "error=software.amazon.awssdk.core.exception.SdkClientException<dev.nullspend.api.BudgetExceededException: Budget exceeded on user/process: this call may"
                + " cost up to $0.016975 but only $0.001 of the $0.001 limit is left ($0.00 spent). Raise"
                + " nullspend.budget.limit-usd. See https://nullspend.dev/docs/errors/budget-exceeded";
        String stream = "events= error=software.amazon.awssdk.core.exception.SdkClientException<dev.nullspend.api.BudgetExceededException: Budget exceeded on user/process: this call"
                + " may cost up to $0.0043 but only $0.001 of the $0.001 limit is left ($0.00 spent). Raise"
                + " nullspend.budget.limit-usd. See https://nullspend.dev/docs/errors/budget-exceeded";
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(converse, stream, converse, stream);
        assertThat(h2.received()).as("requests that reached Bedrock over HTTP/2").isEmpty();
        assertThat(h1.received()).as("requests that reached Bedrock over HTTP/1.1").isEmpty();
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    private ForkedJvm.Builder program() {
        // Ten calls and two Netty clients per JVM on a loaded machine: more time than the default minute.
        return BedrockCalls.program(workDir, "127.0.0.1").timeout(Duration.ofMinutes(3));
    }

    private static String call(FakeBedrockServer server, String operation, String options, String model, String body) {
        return BedrockCalls.call(server, operation, options, model, body);
    }

}
