package dev.nullspend.it;

import dev.nullspend.it.apps.WebClientDriver;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.TestEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Spring's {@code WebClient} on Reactor Netty, under the client contract: {@code block()} and
 * {@code subscribe}. One call is one event: only the Netty codec-level handler reports.
 */
class WebClientIT extends NettyClientIT {

    private static final String REQUEST_EXCEPTION = "org.springframework.web.reactive.function.client.WebClientRequestException";

    /** A denial reaches both ways inside Spring's request exception. */
    static final List<Way> WAYS = List.of(new Way("sync", REQUEST_EXCEPTION), new Way("async", REQUEST_EXCEPTION));

    WebClientIT() {
        super(WebClientDriver.class, WAYS);
    }

    /**
     * This JVM's test class path with Jackson 2.18.9 ({@code webclient-jackson}) instead of the programs' old
     * Jackson, which Spring's default codecs cannot use.
     */
    @Override
    protected List<Path> classPath() {
        return testClassPathWithNewerJackson();
    }

    /** This JVM's test class path with Jackson 2.18.9 in place of the programs' old Jackson (Spring 7's codecs need it). */
    static List<Path> testClassPathWithNewerJackson() {
        List<Path> entries = new ArrayList<>(TestEnvironment.programClassPath("webclient-jackson"));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("jackson")).map(Path::of).forEach(entries::add);
        return entries;
    }

    /**
     * Streams read as Spring's server-sent events ({@code bodyToFlux(ServerSentEvent<String>)}), with and
     * without {@code include_usage} (the agent asks; the program's events then hold no usage chunk), and a
     * plain call read as a {@code String}, on both ways: one exact event per call, each sent once, and the
     * program gets the same events as without the agent.
     */
    @Test
    void serverSentEventsGiveOneExactEventPerCall() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            for (String stream : List.of("usage", "no-usage")) {
                String model = MODELS[n % MODELS.length];
                FakeUsage usage = new FakeUsage(7101 + 97L * n, 256L * (n % 3), 611 + 13L * n, model.equals("o3") ? 57 : 0);
                Call call = chat(Scenario.OK, usage, model, stream, way, "events");
                calls.add(new Call(call.args(), 200, null, call.event()));
                n++;
            }
            FakeUsage plain = new FakeUsage(7301 + n, 0, 71, 0);
            calls.add(chat(Scenario.OK, plain, "gpt-4o-mini", "off", way, "string"));
            n++;
        }

        assertOneExactEventPerCallAndTheSameOutputWithoutTheAgent(calls);
    }

    /** {@code bodyToFlux(ServerSentEvent<String>).take(1)}: the program cancels the stream after its first event. */
    @Test
    @ResourceLock(GATE)
    void aStreamCancelledWithTakeIsBilledOnceAtItsEstimate() {
        assertCancelledStreamsAreBilledOnceAtTheirEstimate("first-events");
    }
}
