package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ForkedJvm;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Netty-based clients' tests share: their programs run with Netty's paranoid leak detection (a
 * buffer the agent held, replaced or released wrongly is reported on standard error while diagnosing), and
 * the cancellation case, each client with its own way of cancelling.
 */
abstract class NettyClientIT extends ClientContractIT {

    /** A subclass that overrides {@link #driver()} and {@link #ways()}. */
    NettyClientIT() {
    }

    NettyClientIT(Class<? extends ClientDriver> driver, List<Way> ways) {
        super(driver, ways);
    }

    @Override
    protected ForkedJvm.Builder program(List<List<String>> calls) {
        return super.program(calls).systemProperty("io.netty.leakDetection.level", "paranoid");
    }

    /**
     * On every way of calling, a stream the provider holds after its first event, which the program cancels
     * once it has that first part ({@code cancelRead}), and a stream the provider cuts halfway with the same
     * request body: the provider still holds the rest of every cancelled stream when the program ends, and
     * each call has exactly one event, billed at the same estimate as the cut one and tagged
     * {@code _ns_estimated} and {@code _ns_cancelled}.
     */
    protected void assertCancelledStreamsAreBilledOnceAtTheirEstimate(String cancelRead) {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            calls.add(chat(Scenario.GATED, new FakeUsage(2701 + n, 0, 270, 0), "gpt-4o", "usage", way, cancelRead));
            calls.add(chat(Scenario.TRUNCATED, new FakeUsage(2801 + n, 0, 280, 0), "gpt-4o", "usage", way, "streamed"));
            n++;
        }

        ForkedJvm.Result run = program(true, calls).run();
        int held = server.release();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(held).as("the provider still held every cancelled stream's rest when the program ended\n%s", run.describe())
                .isEqualTo(ways().size());
        List<JsonNode> results = results(run);
        for (int i = 0; i < calls.size(); i += 2) {
            assertThat(results.get(i).path("status").asInt()).as("%s\n%s", results.get(i), run.describe()).isEqualTo(200);
        }
        List<JsonNode> events = run.ledger();
        assertThat(events).as(run.describe()).hasSize(calls.size());
        long estimate = events.get(0).path("costMicrodollars").asLong();
        for (JsonNode event : events) {
            assertEstimatedOpenAiEvent(event, run, "gpt-4o");
            assertThat(event.path("tags").path("_ns_cancelled").asText()).as("%s", event).isEqualTo("true");
            assertThat(event.path("costMicrodollars").asLong()).as("the same body, the same estimate: %s", event).isEqualTo(estimate);
        }
    }
}
