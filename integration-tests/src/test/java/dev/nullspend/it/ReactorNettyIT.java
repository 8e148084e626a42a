package dev.nullspend.it;

import dev.nullspend.it.apps.ReactorNettyDriver;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
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

    ReactorNettyIT() {
        super(ReactorNettyDriver.class, List.of(new Way("sync", null), new Way("async", null)));
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

    /** {@code responseContent().take(1)}: the program cancels a stream after its first buffer (Reactor closes the connection). */
    @Test
    @ResourceLock(GATE)
    void aStreamCancelledWithTakeIsBilledOnceAtItsEstimate() {
        assertCancelledStreamsAreBilledOnceAtTheirEstimate("first");
    }
}
