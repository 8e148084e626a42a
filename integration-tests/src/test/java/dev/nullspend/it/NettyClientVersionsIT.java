package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.fake.DeterministicBytes;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ForkedJvm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Library versions other than the ones the whole contract runs on ({@link ReactorNettyIT}, {@link WebClientIT},
 * {@link VertxIT}): the core cases of every client of one class path (an {@code it-apps/} module's dependency tree,
 * with Netty 4.1 where the newest run Netty 4.2), all in one program under the agent, to keep the suite short. The
 * contract's own cases are opted out here: the newest versions run them.
 */
@Tag(TestEnvironment.LIBRARY_VERSIONS)
abstract class NettyClientVersionsIT extends NettyClientIT {

    /**
     * One client of the class path.
     *
     * @param cancelRead the driver's read that cancels a stream after its first part; null: the client is not
     *                   cancelled here
     */
    protected record Client(Class<? extends ClientDriver> driver, List<Way> ways, String cancelRead) {
    }

    /** The clients of this class path, each run the same way. */
    protected abstract List<Client> clients();

    @Override
    protected Class<? extends ClientDriver> driver() {
        return clients().get(0).driver();
    }

    @Override
    protected List<Way> ways() {
        return clients().get(0).ways();
    }

    @Override
    protected Map<Case, String> notApplicable() {
        return Arrays.stream(Case.values()).collect(Collectors.toMap(c -> c,
                c -> "run on the newest versions; this class path runs coreCasesOfEveryClientInOneProgram"));
    }

    /**
     * On every way of every client, with only {@code gpt-4o} and {@code gpt-4o-mini} allowed: a plain chat completion
     * read whole, a stream with {@code include_usage} and one without (the agent asks and hides the usage chunk), read
     * as they arrive, each billed exactly and read byte for byte as the provider sent it; a POST elsewhere (70,001
     * bytes echoed back untouched, no event); an {@code o3} call denied ({@code mandate_violation}) before a byte is
     * sent; a stream the provider cuts halfway, and (where the client cancels) one the program cancels after its first
     * part: both billed once at the same estimate, tagged {@code _ns_estimated} and {@code _ns_cancelled}.
     */
    @Test
    @ResourceLock(GATE)
    void coreCasesOfEveryClientInOneProgram() {
        List<Call> calls = new ArrayList<>();
        List<Way> wayOfCall = new ArrayList<>();
        int cancelled = 0;
        int n = 0;
        for (Client client : clients()) {
            for (Way way : client.ways()) {
                long base = 5000 + 100L * n;
                List<Call> own = new ArrayList<>(List.of(
                        chat(Scenario.OK, new FakeUsage(base + 1, 128L * (n % 4), 301 + 13L * n, 0), "gpt-4o-mini", "off", way, "whole"),
                        chat(Scenario.OK, new FakeUsage(base + 2, 0, 351 + 13L * n, 0), "gpt-4o", "usage", way, "streamed"),
                        chat(Scenario.OK, new FakeUsage(base + 3, 256, 371 + 13L * n, 0), "gpt-4o-mini", "no-usage", way, "streamed"),
                        new Call(args(way, "whole", "url=" + server.echoUrl(), "post=70001"), 200, DeterministicBytes.of(70001), null),
                        denied(chat(Scenario.OK, new FakeUsage(base + 4, 0, 10, 0), "o3", "off", way, "whole")),
                        chat(Scenario.TRUNCATED, new FakeUsage(base + 5, 0, 90, 0), "gpt-4o", "usage", way, "streamed")));
                if (client.cancelRead() != null) {
                    Call gated = chat(Scenario.GATED, new FakeUsage(base + 6, 0, 270, 0), "gpt-4o", "usage", way, client.cancelRead());
                    own.add(new Call(gated.args(), 200, null, null, "gpt-4o"));
                    cancelled++;
                }
                for (Call call : own) {
                    calls.add(on(client, call));
                    wayOfCall.add(way);
                }
                n++;
            }
        }

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.allowed-models", "gpt-4o,gpt-4o-mini").run();
        int held = server.release();

        assertResults(run, calls);
        assertThat(run.stderrLines()).as("no exception escaped to a thread\n%s", run.describe())
                .noneMatch(line -> line.startsWith("Exception in thread"));
        assertThat(held).as("the provider still held every cancelled stream's rest when the program ended\n%s", run.describe())
                .isEqualTo(cancelled);
        List<JsonNode> results = results(run);
        int denials = 0;
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            if (call.status() != 0 || call.estimatedModel() != null) {
                continue;
            }
            JsonNode denial = results.get(i).path("denial");
            String carrier = wayOfCall.get(i).denialCarrier();
            assertThat(denial.path("code").asText()).as("call %d: %s\n%s", i, results.get(i), run.describe()).isEqualTo("mandate_violation");
            assertThat(results.get(i).path("error").asText()).as("call %d: what the program got\n%s", i, run.describe())
                    .isEqualTo(carrier != null ? carrier : denial.path("class").asText());
            assertThat(server.requestCount(call.path())).as("call %d: nothing sent; %s", i, server.requestCounts()).isZero();
            denials++;
        }
        assertThat(denials).isEqualTo(n);
        assertSentOncePerRun(calls.stream().filter(c -> c.status() != 0 || c.estimatedModel() != null).toList(), 1);

        List<JsonNode> events = run.ledger();
        List<JsonNode> estimated = events.stream().filter(e -> e.path("tags").path("_ns_estimated").asText().equals("true")).toList();
        assertExactOpenAiEvents(run, events.stream().filter(e -> !estimated.contains(e)).toList(),
                calls.stream().filter(c -> c.event() != null).map(Call::event).toList());
        assertThat(estimated).as("the cut and the cancelled streams\n%s", run.describe()).hasSize(n + cancelled);
        long estimate = estimated.get(0).path("costMicrodollars").asLong();
        for (JsonNode event : estimated) {
            assertEstimatedOpenAiEvent(event, run, "gpt-4o");
            assertThat(event.path("tags").path("_ns_cancelled").asText()).as("%s", event).isEqualTo("true");
            assertThat(event.path("costMicrodollars").asLong()).as("the same body, the same estimate: %s", event).isEqualTo(estimate);
        }
    }

    /** {@code call} made through {@code client}'s driver. */
    private static Call on(Client client, Call call) {
        List<String> args = new ArrayList<>(call.args());
        args.set(0, "driver=" + client.driver().getSimpleName());
        return new Call(args, call.status(), call.body(), call.event(), call.estimatedModel());
    }
}
