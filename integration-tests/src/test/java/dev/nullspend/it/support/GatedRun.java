package dev.nullspend.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.fake.FakeProviderServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child that streams one {@code gated} response: the provider sends the first event and waits; the
 * child's stdout line {@code first-event} makes the test release the rest. If the program only saw the
 * first event after the whole body had arrived, the provider could not still be waiting at that moment.
 * Gated runs of one server must not overlap (a release lets every waiting response go): run them under
 * one {@code @ResourceLock}.
 *
 * @param run                 what the child did
 * @param waitingAtFirstEvent gated responses still held when the child printed {@code first-event}
 * @param releasedByControl   the body of {@code GET /control/release}: how many it released
 * @param timeoutsDuringRun   gated responses that went on by the gate's timeout instead
 */
public record GatedRun(ForkedJvm.Result run, int waitingAtFirstEvent, String releasedByControl, int timeoutsDuringRun) {

    /** Runs {@code child}, releasing the gate when it prints {@code first-event}. */
    public static GatedRun run(FakeProviderServer server, ForkedJvm.Builder child) {
        AtomicInteger waitingAtFirstEvent = new AtomicInteger(-1);
        AtomicReference<String> released = new AtomicReference<>();
        int timeoutsBefore = server.gateTimeouts();
        ForkedJvm.Result run = child.onStdoutLine(line -> {
            if (line.equals("first-event")) {
                waitingAtFirstEvent.set(server.gatesWaiting());
                released.set(release(server));
            }
        }).run();
        return new GatedRun(run, waitingAtFirstEvent.get(), released.get(), server.gateTimeouts() - timeoutsBefore);
    }

    /** The program read the first event while the provider still held the rest, and the test released it. */
    public void assertProgramReadTheFirstEventFirst() {
        assertThat(waitingAtFirstEvent).as("the provider still held the rest when the program printed first-event\n%s",
                run.describe()).isEqualTo(1);
        assertThat(releasedByControl).as("GET /control/release released that one response").isEqualTo("1");
        assertThat(timeoutsDuringRun).as("released by the test, not by the gate's timeout").isZero();
    }

    /** {@code GET /control/release} over HTTP, as any out-of-process driver would. */
    private static String release(FakeProviderServer server) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(server.releaseUrl())).build(), BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new AssertionError("release failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
