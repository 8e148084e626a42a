package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ReactorNettyDriver;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Reactor Netty's {@code HttpClient} used raw, under the client contract: {@code block()} and
 * {@code subscribe} (the request is written and read on Netty's event loop; the program's scope is carried
 * there through the Reactor context).
 */
class ReactorNettyIT extends NettyClientIT {

    /** {@code block()} and {@code subscribe}: the program gets the typed denial itself. */
    static final List<Way> WAYS = List.of(new Way("sync", null), new Way("async", null));

    ReactorNettyIT() {
        super(ReactorNettyDriver.class, WAYS);
    }

    /**
     * Every way of taking the body ({@code responseSingle} as bytes and as a string,
     * {@code responseContent().aggregate()}, {@code response((r, body) -> …)} buffer by buffer), plain and
     * streamed with and without {@code include_usage}, on {@code HttpClient.create()} and on a client with
     * {@code compress(true)} (Netty's decompressor sits before the agent's handler), plus gzip through that
     * decompressor: one exact event per call, the provider's bytes, each call sent once, the same output
     * without the agent.
     */
    @Test
    void everyWayOfReadingOnAPlainAndACompressingClientGivesOneExactEventPerCall() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            for (String build : List.of("plain", "compress")) {
                for (String read : List.of("whole", "string", "aggregate", "streamed")) {
                    String stream = List.of("off", "usage", "no-usage").get(n % 3);
                    String model = MODELS[n % MODELS.length];
                    FakeUsage usage = new FakeUsage(6001 + 97L * n, 128L * (n % 4), 511 + 13L * n, model.equals("o3") ? 57 : 0);
                    calls.add(chat(Scenario.OK, usage, model, stream, way, read, "build=" + build));
                    n++;
                }
            }
            calls.add(chat(Scenario.GZIP, new FakeUsage(8801 + n, 1024, 433, 0), "gpt-4o", "off", way, "aggregate", "build=compress"));
            calls.add(chat(Scenario.GZIP, new FakeUsage(8901 + n, 1024, 434, 0), "gpt-4o", "usage", way, "streamed", "build=compress"));
        }

        assertOneExactEventPerCallAndTheSameOutputWithoutTheAgent(calls);
    }

    /**
     * HTTP/2 with prior knowledge ({@code protocol(H2C)}) to the fake provider on Netty's HTTP/2 server, which
     * sends every response in DATA frames of 37 bytes: each call is a stream channel of one connection, seen
     * by the agent after Netty's {@code Http2StreamFrameToHttpObjectCodec}. Plain and streamed, with and
     * without {@code include_usage} (the agent asks for the usage and hides it, as over HTTP/1.1), whole and
     * buffer by buffer: one exact event per call, the provider's bytes, each call sent once, the same output
     * without the agent; a stream the provider resets halfway is billed once, at its estimate.
     */
    @Test
    void http2PriorKnowledgeCallsAreCostedExactlyAndACutStreamAtItsEstimate() throws IOException {
        // The same stream cut over HTTP/1.1 (the connection dropped): the same body, so the same estimate.
        Call cutOverHttp11 = chat(Scenario.TRUNCATED, new FakeUsage(901, 0, 91, 0), "gpt-4o", "usage", ways().get(0),
                "streamed");
        try (FakeProviderServer h2 = FakeProviderServer.startHttp2(37)) {
            server = h2;
            List<Call> calls = new ArrayList<>();
            int n = 0;
            for (Way way : ways()) {
                List<Call> exact = exactChats(way, n, 5001, 411, "build=h2c");
                calls.addAll(exact);
                n += exact.size();
            }
            assertOneExactEventPerCallAndTheSameOutputWithoutTheAgent(calls);

            Call cut = chat(Scenario.TRUNCATED, new FakeUsage(901, 0, 91, 0), "gpt-4o", "usage", ways().get(0), "streamed",
                    "build=h2c");
            workDir = Files.createDirectories(workDir.resolve("cut")); // a ledger of its own
            ForkedJvm.Result run = program(true, List.of(cut, cutOverHttp11)).run();
            assertResults(run, List.of(cut, cutOverHttp11));
            List<JsonNode> events = run.ledger();
            assertThat(events).as(run.describe()).hasSize(2);
            for (JsonNode event : events) {
                assertEstimatedOpenAiEvent(event, run, "gpt-4o");
                assertThat(event.path("tags").path("_ns_cancelled").asText()).as("%s", event).isEqualTo("true");
                // The same body over both protocols, so the same estimate.
                assertThat(event.path("costMicrodollars").asLong()).as("%s", event).isEqualTo(180_309);
            }
        }
    }

    /** {@code responseContent().take(1)}: the program cancels a stream after its first buffer (Reactor closes the connection). */
    @Test
    @ResourceLock(GATE)
    void aStreamCancelledWithTakeIsBilledOnceAtItsEstimate() {
        assertCancelledStreamsAreBilledOnceAtTheirEstimate("first");
    }
}
