package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.LoopingChatApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.SpoolFiles;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants on one machine share the default spool folder: spooled events belong to the API key
 * and base URL they were created under, and are only ever sent with that key to that URL. Two fake
 * NullSpend APIs (two ports, two URLs) each know their own key.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
@ExtendWith(FakeServers.class)
class SpoolOwnershipIT {
    private static final String MODEL = "gpt-4o-mini";
    private static final String KEY_A = FakeNullSpendApi.TEST_KEY;
    private static final String KEY_B = "ns_test_sk_" + "b0b".repeat(10) + "b0";

    private final FakeProviderServer provider;

    SpoolOwnershipIT(Fakes fakes) {
        provider = fakes.provider();
    }
    private FakeNullSpendApi apiX;
    private FakeNullSpendApi apiY;

    @TempDir
    Path workDir;

    @BeforeEach
    void startApis() {
        apiX = FakeNullSpendApi.start(KEY_A);
        apiY = FakeNullSpendApi.start(KEY_B);
    }

    @AfterEach
    void stopApis() {
        apiX.close();
        apiY.close();
    }

    @Test
    void spooledEventsAreSentOnlyWithTheirOwnKeyToTheirOwnUrl() throws Exception {
        // 1: key A, API X down: A's six events are spooled
        apiX.stopListening();
        ForkedJvm.Result first = program(KEY_A, apiX, 0, 6).run();

        assertThat(first.exitCode()).as(first.describe()).isZero();
        List<JsonNode> spooledByA = SpoolFiles.events(spool());
        assertThat(calls(spooledByA)).as(first.describe()).isEqualTo(Set.of(0, 1, 2, 3, 4, 5));

        // 2: key B, API Y up: B sends its own three events to Y, and nothing of A's
        ForkedJvm.Result second = program(KEY_B, apiY, 100, 3).run();

        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(apiY.events()).as("Y got B's events and none of A's\n%s", second.describe()).hasSize(3);
        assertThat(callsOf(apiY.events())).isEqualTo(Set.of(100, 101, 102));
        assertThat(apiY.requests()).as("every request to Y carried Y's own key (else 401)")
                .allMatch(r -> r.status() == 200 || r.status() == 201);
        assertThat(apiX.requests()).as("X was down").isEmpty();
        Path ownerA = SpoolFiles.ownerDir(spool(), KEY_A, apiX.baseUrl());
        assertThat(keys(SpoolFiles.events(ownerA))).as("A's events wait in A's folder, untouched")
                .isEqualTo(keys(spooledByA)).hasSize(6);
        assertThat(SpoolFiles.events(spool())).as("and nothing else is spooled").hasSize(6);
        assertThat(second.agentLines()).as(second.describe()).contains("[nullspend] spool " + spool()
                + ": 6 cost events of other API keys or base URLs wait here; only a run with their own key and URL sends them");
        for (String name : SpoolFiles.names(spool())) {
            assertThat(name).doesNotContain(KEY_A, KEY_B);
            assertThat(Files.readString(spool().resolve(name), StandardCharsets.UTF_8)).doesNotContain(KEY_A, KEY_B);
        }

        // 3: key A, API X back: A's run sends exactly A's events (and its own new one) to X, with key A
        apiX.startListening();
        ForkedJvm.Result third = program(KEY_A, apiX, 200, 1).run();

        assertThat(third.exitCode()).as(third.describe()).isZero();
        assertThat(apiX.events()).as(third.describe()).hasSize(7);
        assertThat(callsOf(apiX.events())).isEqualTo(Set.of(0, 1, 2, 3, 4, 5, 200));
        assertThat(apiX.requests()).allMatch(r -> r.status() == 200 || r.status() == 201);
        assertThat(apiX.duplicateEvents()).isZero();
        assertThat(apiY.events()).as("Y still holds B's three only").hasSize(3);
        assertThat(SpoolFiles.segments(spool())).as(third.describe()).isEmpty();
    }

    // ---- helpers ----

    private Path spool() {
        return workDir.resolve("spool");
    }

    private ForkedJvm.Builder program(String key, FakeNullSpendApi api, int first, int calls) {
        return ForkedJvm.in(workDir).mainClass(LoopingChatApp.class)
                .systemProperty("nullspend.api-key", key)
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.spool-dir", spool().toString())
                .systemProperty("nullspend.reporter.flush-interval-ms", "100")
                .args("origin=" + provider.origin(), "model=" + MODEL, "first=" + first, "calls=" + calls, "pause-ms=0");
    }

    /** The call numbers of spooled events (call {@code i} reports {@code 1000 + i} input tokens). */
    private static Set<Integer> calls(Collection<JsonNode> events) {
        return events.stream().map(e -> (int) e.path("inputTokens").asLong() - 1000)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> callsOf(List<Map<String, Object>> events) {
        return events.stream().map(e -> ((BigDecimal) e.get("inputTokens")).intValueExact() - 1000)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(Collection<JsonNode> events) {
        return events.stream().map(e -> e.path("idempotencyKey").asText()).collect(Collectors.toSet());
    }
}
