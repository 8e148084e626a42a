package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.Hc4Driver;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.GatedRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Apache HttpClient under the agent (4.5 classic, 5.x classic, 5.x async: one subclass each): the client
 * contract ({@link ClientContractIT}), and what is Apache's own: every way of taking the body, the other
 * ways of building a client (each reaches another instrumented class), a request body longer than the
 * clients' buffers, and for the classic clients a body that can be read only once and gzip handed to the
 * program as sent.
 */
abstract class ApacheHttpClientIT extends ClientContractIT {

    private final List<String> otherReads;
    private final String otherIncrementalRead;
    private final List<String> otherBuilds;
    private final boolean classic;

    /**
     * @param otherReads           the driver's {@code read=} kinds besides the contract's {@code whole} and {@code streamed}
     * @param otherIncrementalRead the one of them that hands the program each part of the body as it arrives
     * @param otherBuilds          client builds besides the default one (4.5 {@code MinimalHttpClient},
     *                             {@code AbstractHttpClient}; 5.x {@code MinimalHttpClient},
     *                             {@code AbstractMinimalHttpAsyncClientBase})
     * @param classic              a classic client ({@code InputStreamEntity}, {@code disableContentCompression()})
     */
    ApacheHttpClientIT(Class<? extends ClientDriver> driver, List<Way> ways, List<String> otherReads,
                       String otherIncrementalRead, List<String> otherBuilds, boolean classic) {
        super(driver, ways);
        this.otherReads = otherReads;
        this.otherIncrementalRead = otherIncrementalRead;
        this.otherBuilds = otherBuilds;
        this.classic = classic;
    }

    /** HttpClient 5's automatic retries (4.5 has none by default) would repeat the proxy's 429s before the program sees them. */
    @Override
    protected List<String> proxyModeOptions() {
        return driver() == Hc4Driver.class ? List.of() : List.of("build=no-retries");
    }

    /**
     * Every way of taking the body, plain (a request body of about 20 KB, which the agent must copy without
     * changing what is sent: the provider rejects a broken body) and streamed with and without
     * {@code include_usage}; a streamed call on each other build; for the classic clients a chat request
     * whose body can be read only once (the agent must not read it: the provider answers it as usual, and
     * nothing can recognise it on a non-OpenAI host, so no line) and gzip from a client built with
     * {@code disableContentCompression()} (the program gets the gzip bytes). One exact line per costed call;
     * the same program output without the agent.
     */
    @Test
    void everyWayOfTakingTheBodyAndBuildingTheClientGivesOneExactLinePerCall() {
        List<Call> calls = new ArrayList<>();
        Way way = ways().get(0);
        int n = 0;
        for (String read : otherReads) {
            for (String stream : List.of("off", "usage", "no-usage")) {
                String model = MODELS[n % MODELS.length];
                FakeUsage usage = new FakeUsage(5001 + 97L * n, 128L * (n % 4), 411 + 13L * n, n % 3 == 2 ? 57 : 0);
                Call call = stream.equals("off") ? chat(Scenario.OK, usage, model, stream, way, read, "pad=20000")
                        : chat(Scenario.OK, usage, model, stream, way, read);
                // Read line by line, a body gets a final \n it may not have had: compared with the run without the agent.
                calls.add(read.equals("lines") ? new Call(call.args(), 200, null, call.event()) : call);
                n++;
            }
        }
        for (String build : otherBuilds) {
            calls.add(chat(Scenario.OK, new FakeUsage(6001 + n++, 0, 77, 0), "gpt-4o-mini", "usage", way, "streamed",
                    "build=" + build));
        }
        if (classic) {
            FakeUsage oneShot = new FakeUsage(5300 + n++, 0, 100, 0);
            calls.add(new Call(chat(Scenario.OK, oneShot, "gpt-4o", "off", way, "whole", "body=one-shot").args(), 200,
                    ChatResponses.completion("gpt-4o", oneShot), null));
            for (String stream : List.of("off", "usage")) {
                calls.add(chat(Scenario.GZIP, new FakeUsage(7900 + n++, 1024, 333, 0), "gpt-4o", stream, way, "write-to",
                        "build=no-compression"));
            }
        }

        ForkedJvm.Result withAgent = program(true, calls).run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
        List<ExpectedCall> events = calls.stream().filter(c -> c.event() != null).map(Call::event).toList();
        assertExactOpenAiEvents(withAgent, events);
        assertSentOncePerRun(calls, 2);
    }

    /** As the contract's gated case, for the other read that takes the body as it arrives. */
    @Test
    @ResourceLock(GATE)
    void theOtherIncrementalReadGetsTheFirstEventBeforeTheProviderSendsTheLast() {
        FakeUsage usage = new FakeUsage(2700, 500, 250, 0);
        Call call = chat(Scenario.GATED, usage, "gpt-4o", "usage", ways().get(0), otherIncrementalRead);

        GatedRun gated = GatedRun.run(server, program(true, List.of(call)));

        assertResults(gated.run(), List.of(call));
        gated.assertProgramReadTheFirstEventFirst();
        assertSingleExactOpenAiEvent(gated.run(), "gpt-4o", usage);
    }
}
