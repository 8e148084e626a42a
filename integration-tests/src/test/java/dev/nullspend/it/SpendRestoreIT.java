package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.ExpectedCost;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Budget spend restored at start-up in a real JVM, from the ledger and from the compact spend record beside it
 * ({@code ledger.jsonl.spend}): the ledger's events leave exactly one microdollar too little for the next call,
 * which is denied with the exact restored spend, whether the record is missing, present, or stale. A batch
 * written twice and a torn line in the ledger count for nothing.
 */
@Tag(TestEnvironment.AGENT_LOGIC)
class SpendRestoreIT extends FakeProviderTest {

    private static final String MODEL = "gpt-4o";
    private static final int MAX_TOKENS = 2000;
    private static final long LIMIT = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    SpendRestoreIT(Fakes fakes) {
        super(fakes);
    }

    private static long estimate() {
        int bodyBytes = ClientApp.chatBody(MODEL, MAX_TOKENS, "restore").getBytes(StandardCharsets.UTF_8).length;
        return ExpectedCost.openAiEstimate(MODEL, bodyBytes, MAX_TOKENS);
    }

    @Test
    void theNextCallIsDeniedWithTheExactSpendWithTheRecordMissingPresentAndStale() throws IOException {
        long spent = LIMIT - estimate() + 1; // one microdollar short of room for the call
        Path ledger = workDir.resolve(ForkedJvm.LEDGER_FILE);
        Path record = workDir.resolve("ledger.jsonl.spend");
        writeLedger(ledger, spent);

        assertThat(deniedSpend()).as("no record: the whole ledger").isEqualTo(spent);
        assertThat(record).exists();
        assertThat(Files.readAllLines(ledger)).as("a denied call adds nothing").hasSize(42);

        // Present: the record is what is read, not the ledger's prefix; a changed total shows in the denial.
        String original = Files.readString(record);
        String tampered = original.replace("scope\t*\t" + spent + "\n", "scope\t*\t" + (spent + 5) + "\n");
        assertThat(tampered).isNotEqualTo(original);
        Files.writeString(record, tampered);
        assertThat(deniedSpend()).as("the (changed) record").isEqualTo(spent + 5);

        // Stale: the ledger was rotated (another file at the path with the same bytes): rebuilt, exact again.
        Files.move(ledger, workDir.resolve("ledger.jsonl.1"));
        Files.copy(workDir.resolve("ledger.jsonl.1"), ledger);
        assertThat(deniedSpend()).as("a stale record, rebuilt").isEqualTo(spent);
        assertThat(Files.readString(record)).contains("scope\t*\t" + spent + "\n");
    }

    @Test
    void theLedgerItsDirectoryAndTheSpendRecordAreCreatedOwnerOnly() throws IOException {
        Path ledger = workDir.resolve("state/costs/ledger.jsonl");
        FakeUsage usage = new FakeUsage(10, 0, 5, 0);
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .args("driver=JdkDriver", "url=" + server.chatCompletionsUrl(Scenario.OK, usage), "chat=" + MODEL,
                        "max-tokens=" + MAX_TOKENS, "user=restore")
                .systemProperty("nullspend.ledger", ledger.toString())
                .systemProperty("nullspend.budget.limit-usd", "5")
                .run();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        // The second start writes the record of what the first one wrote.
        ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .systemProperty("nullspend.ledger", ledger.toString())
                .systemProperty("nullspend.budget.limit-usd", "5")
                .run();

        assertThat(mode(workDir.resolve("state"))).isEqualTo("rwx------");
        assertThat(mode(workDir.resolve("state/costs"))).isEqualTo("rwx------");
        assertThat(mode(ledger)).isEqualTo("rw-------");
        assertThat(mode(workDir.resolve("state/costs/ledger.jsonl.spend"))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(ledger)).hasSize(1);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Runs one call under a $1 budget restored from the ledger; returns the spend its denial names. */
    private long deniedSpend() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ClientApp.class)
                .args("driver=JdkDriver", "url=" + server.chatCompletionsUrl(Scenario.OK, new FakeUsage(10, 0, 5, 0)),
                        "chat=" + MODEL, "max-tokens=" + MAX_TOKENS, "user=restore")
                .systemProperty("nullspend.budget.limit-usd", "1")
                .run();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.results()).as(run.describe()).hasSize(1);
        JsonNode result = run.results().get(0);
        JsonNode fields = result.path("denial").path("fields");
        assertThat(result.path("denial").path("code").asText()).as(run.describe()).isEqualTo("budget_exceeded");
        assertThat(fields.path("estimate").asLong()).isEqualTo(estimate());
        return fields.path("spend").asLong();
    }

    /**
     * 40 events summing {@code total}, then one of them again (a batch written twice) and a torn line;
     * 42 lines. The events are of today, the budget has no period: every one counts.
     */
    private static void writeLedger(Path ledger, long total) throws IOException {
        List<String> lines = new ArrayList<>();
        long each = total / 40;
        Instant now = Instant.now();
        for (int i = 0; i < 40; i++) {
            long cost = i == 39 ? total - each * 39 : each;
            ObjectNode e = JSON.createObjectNode().put("provider", "openai").put("model", MODEL)
                    .put("inputTokens", 100).put("outputTokens", 10).put("costMicrodollars", cost)
                    .put("eventType", "llm").put("idempotencyKey", "ns_restore-" + i)
                    .put("createdAt", now.minusSeconds(40 - i).toString());
            lines.add(JSON.writeValueAsString(e));
        }
        lines.add(lines.get(20));
        lines.add("{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"costMicrodoll");
        Files.writeString(ledger, String.join("\n", lines) + "\n");
    }
}
