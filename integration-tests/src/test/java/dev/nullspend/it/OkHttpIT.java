package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.OkHttpDriver;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OkHttp under the agent, one subclass per version of the matrix ({@code it.okhttp.versions}), each in
 * forked JVMs whose class path holds that version alone: the client contract ({@link ClientContractIT}) on
 * {@code execute()} and {@code enqueue()}, and what is OkHttp's own: clients derived with
 * {@code newBuilder()} or built again from a reused builder, and bodies read with {@code string()} and line
 * by line.
 */
abstract class OkHttpIT extends ClientContractIT {

    /** The OkHttp version this subclass runs on, one of {@code it.okhttp.versions}. */
    protected abstract String version();

    /** {@code execute()} throws the typed denial; an interceptor can fail an {@code enqueue()} only with an IOException. */
    OkHttpIT() {
        super(OkHttpDriver.class, List.of(new Way("sync", null),
                new Way("async", "dev.nullspend.agent.exchange.NullSpendDeniedIOException")));
    }

    @Override
    protected List<Path> classPath() {
        return withProgramLibraries(TestEnvironment.programClassPath("okhttp-" + version()));
    }

    /**
     * Calls on a client from {@code base.newBuilder().build()} and on one built again from the base's builder
     * (each shares the base's interceptors), read with {@code string()} and line by line, execute and enqueue:
     * exactly one exact line each, the provider's bytes, and the same output without the agent.
     */
    @Test
    void derivedAndRebuiltClientsGiveOneExactLinePerCall() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (String client : List.of("derived", "rebuilt")) {
            for (Way way : ways()) {
                for (String stream : List.of("off", "usage", "no-usage")) {
                    String read = n % 2 == 0 ? "string" : "lines";
                    String model = MODELS[n % MODELS.length];
                    FakeUsage usage = new FakeUsage(5001 + 97L * n, 128L * (n % 4), 411 + 13L * n, model.equals("o3") ? 57 : 0);
                    calls.add(chat(Scenario.OK, usage, model, stream, way, read, "client=" + client));
                    n++;
                }
            }
        }

        assertOneExactEventPerCallAndTheSameOutputWithoutTheAgent(calls);
    }
}
