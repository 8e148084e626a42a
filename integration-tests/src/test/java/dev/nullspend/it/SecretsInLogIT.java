package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.support.FakeApiPerTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.LoopingChatApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.SpoolFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No credential ever reaches the agent's log, and a bad credential loses no event: a
 * {@code nullspend.api-key} with a control character is named once and never shown, a base URL's
 * {@code user:password@} is printed with the password masked.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
@ExtendWith(FakeServers.class)
class SecretsInLogIT extends FakeApiPerTest {
    private static final String MODEL = "gpt-4o-mini";
    private static final String PASSWORD = "Hunter2-pw-7f3a";
    /** The halves of the fake API's key, around the control character put between them. */
    private static final String KEY_HEAD = FakeNullSpendApi.TEST_KEY.substring(0, 20);
    private static final String KEY_TAIL = FakeNullSpendApi.TEST_KEY.substring(20);

    private final FakeProviderServer provider;

    SecretsInLogIT(Fakes fakes) {
        provider = fakes.provider();
    }

    @TempDir
    Path workDir;

    @Test
    void anApiKeyWithAControlCharacterIsNamedOnceNeverShownAndItsEventsGoToTheLedger() {
        ForkedJvm.Result run = program(KEY_HEAD + "\u0007" + KEY_TAIL, passwordUrl(), 4).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertNoSecret(run);
        assertThat(run.agentLines()).as(run.describe()).filteredOn(l -> l.contains("nullspend.api-key")).containsExactly(
                "[nullspend] ERROR invalid setting nullspend.api-key=(value hidden) (from system property): contains a"
                        + " control character at position 21 of 44; a key is visible ASCII characters only; ignored",
                "[nullspend] ERROR invalid limit settings (nullspend.api-key): tracking stays on and every valid limit is"
                        + " still enforced (nullspend.fail-mode=open; closed would deny LLM calls until they are fixed)");
        assertThat(run.agentLines()).as(run.describe()).containsOnlyOnce(
                "[nullspend] ERROR the NullSpend API key is refused: nothing is sent to the NullSpend API in this run,"
                        + " cost events go to the ledger " + workDir.resolve(ForkedJvm.LEDGER_FILE));
        assertThat(calls(run.ledger())).as(run.describe()).isEqualTo(Set.of(0, 1, 2, 3));
        assertThat(run.agentLines()).as("the summary says where the events went")
                .contains("[nullspend]   ledger: " + workDir.resolve(ForkedJvm.LEDGER_FILE) + " (4 events written, 0 dropped)");
        assertThat(api.requests()).as("nothing was sent with the refused key").isEmpty();
        assertThat(SpoolFiles.names(spool())).isEmpty();
    }

    @Test
    void aBaseUrlPasswordIsMaskedInTheStartLineTheWarningsAndTheSummary() {
        api.stopListening(); // the API's failure is logged with its URL, and the events wait in the spool

        ForkedJvm.Result run = program(FakeNullSpendApi.TEST_KEY, passwordUrl(), 3).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertNoSecret(run);
        String masked = "http://nsuser:****@127.0.0.1:" + api.port();
        assertThat(run.agentLines()).as(run.describe())
                .anyMatch(l -> l.contains(" started: mode=api (" + masked + "), "))
                .anyMatch(l -> l.startsWith("[nullspend]   api: " + masked + " (0 sent, 3 spooled, 0 dropped, "));
        assertThat(run.stderrLines()).as("every line that names the API (start, failures, summary) masks the password")
                .filteredOn(l -> l.contains("@127.0.0.1:" + api.port())).isNotEmpty().allMatch(l -> l.contains(masked));
        assertThat(calls(SpoolFiles.events(spool()))).as(run.describe()).isEqualTo(Set.of(0, 1, 2));
        assertThat(calls(run.ledger())).isEqualTo(Set.of(0, 1, 2));
    }

    // ---- helpers ----

    private String passwordUrl() {
        return "http://nsuser:" + PASSWORD + "@127.0.0.1:" + api.port();
    }

    private void assertNoSecret(ForkedJvm.Result run) {
        assertThat(String.join("\n", run.stderrLines())).as(run.describe())
                .doesNotContain(PASSWORD, KEY_HEAD, KEY_TAIL, FakeNullSpendApi.TEST_KEY);
    }

    private Path spool() {
        return workDir.resolve("spool");
    }

    private ForkedJvm.Builder program(String key, String baseUrl, int calls) {
        return ForkedJvm.in(workDir).mainClass(LoopingChatApp.class)
                .systemProperty("nullspend.api-key", key)
                .systemProperty("nullspend.base-url", baseUrl)
                .systemProperty("nullspend.spool-dir", spool().toString())
                .systemProperty("nullspend.reporter.flush-interval-ms", "100")
                .args("origin=" + provider.origin(), "model=" + MODEL, "first=0", "calls=" + calls, "pause-ms=0");
    }

    /** The call numbers of events (call {@code i} reports {@code 1000 + i} input tokens). */
    private static Set<Integer> calls(List<JsonNode> events) {
        return events.stream().map(e -> (int) e.path("inputTokens").asLong() - 1000)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
