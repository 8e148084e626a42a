package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ToolsApp;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @TrackTool} and the {@code NullSpend} facade under the real agent jar. */
class TrackToolIT {

    @TempDir
    Path workDir;

    @Test
    void everyToolCallIsOneExactToolEvent() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ToolsApp.class)
                .systemProperty("nullspend.tags", "env=test").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly("active=true", "results for first",
                "caught: tool failed", "async result", "manual result");
        Map<String, JsonNode> byTool = run.ledger().stream()
                .collect(Collectors.toMap(e -> e.get("toolName").asText(), Function.identity()));
        assertThat(byTool).as(run.describe()).containsOnlyKeys("web_search", "explode", "async_tool", "manual");
        for (JsonNode e : byTool.values()) {
            assertThat(e.get("eventType").asText()).isEqualTo("tool");
            assertThat(e.get("provider").asText()).isEqualTo("tool");
            assertThat(e.get("model").asText()).isEqualTo("custom");
            assertThat(e.get("inputTokens").asLong()).isZero();
            assertThat(e.get("outputTokens").asLong()).isZero();
            assertThat(e.get("idempotencyKey").asText()).startsWith("ns_");
            assertThat(e.has("costBreakdown")).isFalse();
        }

        JsonNode search = byTool.get("web_search");
        assertThat(search.get("costMicrodollars").asLong()).isEqualTo(20_000);
        assertThat(search.get("durationMs").asLong()).isBetween(40L, 10_000L);
        assertThat(tags(search)).containsExactly(Map.entry("env", "test"), Map.entry("team", "search"));
        assertThat(search.has("sessionId")).isFalse();

        JsonNode explode = byTool.get("explode");
        assertThat(explode.get("costMicrodollars").asLong()).as("0.00397 USD, no float truncation").isEqualTo(3_970);
        assertThat(tags(explode)).containsEntry("_ns_error", "true").containsEntry("step", "2");
        assertThat(explode.get("sessionId").asText()).isEqualTo("s-1");
        assertThat(explode.get("customer").asText()).isEqualTo("acme");

        JsonNode async = byTool.get("async_tool");
        assertThat(async.get("costMicrodollars").asLong()).isEqualTo(1_000);
        assertThat(async.get("toolServer").asText()).isEqualTo("mcp-1");
        assertThat(async.get("sessionId").asText()).isEqualTo("s-1");
        assertThat(tags(async)).doesNotContainKey("_ns_error");

        JsonNode manual = byTool.get("manual");
        assertThat(manual.get("costMicrodollars").asLong()).isEqualTo(50_000);
        assertThat(manual.get("customer").asText()).isEqualTo("acme");
        assertThat(manual.has("durationMs")).isFalse();
    }

    @Test
    void withoutTheAgentTheProgramRunsUnchangedAndFacadeCallsAreNoOps() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).agent(false).mainClass(ToolsApp.class).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).containsExactly("active=false", "results for first", "caught: tool failed",
                "async result", "manual result");
        assertThat(workDir.resolve(ForkedJvm.LEDGER_FILE)).doesNotExist();
    }

    @Test
    void theTrackToolSwitchTurnsToolCostingOff() {
        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(ToolsApp.class)
                .systemProperty("nullspend.instrumentation.track-tool.enabled", "false").run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> tools = run.ledger().stream().map(e -> e.get("toolName").asText()).toList();
        assertThat(tools).as("only the facade's explicit call remains").containsExactly("manual");
    }

    private static Map<String, String> tags(JsonNode event) {
        JsonNode tags = event.get("tags");
        if (tags == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        tags.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }
}
