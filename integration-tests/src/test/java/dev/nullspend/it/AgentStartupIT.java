package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static dev.nullspend.it.support.EventAssertions.assertSingleExactOpenAiEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.JacksonApp;
import dev.nullspend.it.apps.JdkHttpClientApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the agent says at start and exit, what a bad configuration does, and that the program's own Jackson is left alone. */
class AgentStartupIT {

    private static final FakeUsage USAGE = new FakeUsage(22, 0, 3, 0);

    private static FakeProviderServer server;
    /** The program's stdout without the agent: the agent must never change it. */
    private static List<String> stdoutWithoutAgent;

    @TempDir
    Path workDir;

    @BeforeAll
    static void startServerAndRecordBaseline(@TempDir Path baselineDir) {
        server = FakeProviderServer.start();
        ForkedJvm.Result baseline = chatApp(ForkedJvm.in(baselineDir).agent(false)).run();
        assertThat(baseline.exitCode()).as(baseline.describe()).isZero();
        stdoutWithoutAgent = baseline.stdoutLines();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void startsWithOneStartedLineAndEndsWithASummary() {
        ForkedJvm.Result run = chatApp(ForkedJvm.in(workDir)).run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).isEqualTo(stdoutWithoutAgent);
        assertThat(run.stderrWithoutVmWarnings()).as("every stderr line is the agent's\n%s", run.describe())
                .isNotEmpty()
                .allMatch(line -> line.startsWith(ForkedJvm.AGENT_LOG_PREFIX));
        assertThat(run.agentLines()).as(run.describe()).filteredOn(line -> line.contains("started")).hasSize(1);
        assertThat(run.agentLines()).as(run.describe()).anyMatch(line -> line.contains("NullSpend summary"));
        assertSingleExactOpenAiEvent(run, "gpt-4o-mini", USAGE);
    }

    /**
     * Invalid values, by system property and by environment variable: each is named once, falls back to its
     * default, and the agent runs on — tracking stays on (docs/configuration.md, "Invalid values").
     *
     * @param keyNames the spellings of the key the message may use (the property or the variable name)
     */
    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                Arguments.of("property nullspend.log.level=loud", "nullspend.log.level", "loud", null,
                        List.of("nullspend.log.level"), "WARN", "using info instead"),
                Arguments.of("property nullspend.enforcement=maybe", "nullspend.enforcement", "maybe", null,
                        List.of("nullspend.enforcement"), "ERROR", "using on instead"),
                Arguments.of("variable NULLSPEND_ENFORCEMENT=maybe", null, "maybe", "NULLSPEND_ENFORCEMENT",
                        List.of("nullspend.enforcement", "NULLSPEND_ENFORCEMENT"), "ERROR", "using on instead"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void anInvalidValueIsNamedOnceAndTheAgentRunsOn(String label, String property, String value, String variable,
                                                    List<String> keyNames, String level, String fallback) {
        ForkedJvm.Builder builder = chatApp(ForkedJvm.in(workDir));
        if (property != null) {
            builder.systemProperty(property, value);
        } else {
            builder.env(variable, value);
        }

        ForkedJvm.Result run = builder.run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as("the program runs as without the agent\n%s", run.describe())
                .isEqualTo(stdoutWithoutAgent);
        assertThat(run.agentLines()).as(run.describe())
                .filteredOn(line -> line.contains("invalid setting"))
                .singleElement()
                .satisfies(line -> {
                    assertThat(line).startsWith(ForkedJvm.AGENT_LOG_PREFIX + level + " invalid setting ")
                            .contains("\"" + value + "\"").endsWith(fallback);
                    assertThat(keyNames).anyMatch(line::contains);
                });
        assertThat(run.agentLines()).as(run.describe()).noneMatch(line -> line.contains("disabled"));
        assertThat(run.agentLines()).as(run.describe()).filteredOn(line -> line.contains("started")).hasSize(1);
        assertThat(run.agentLines()).as("tracking stays on\n%s", run.describe())
                .anyMatch(line -> line.contains("NullSpend summary"));
        assertSingleExactOpenAiEvent(run, "gpt-4o-mini", USAGE);
    }

    static Stream<Arguments> disabledByConfiguration() {
        return Stream.of(
                Arguments.of("property", "nullspend.enabled", null),
                Arguments.of("variable", null, "NULLSPEND_ENABLED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("disabledByConfiguration")
    void enabledFalseLeavesOneInfoLineAndNothingElse(String label, String property, String variable) {
        ForkedJvm.Builder builder = chatApp(ForkedJvm.in(workDir));
        if (property != null) {
            builder.systemProperty(property, "false");
        } else {
            builder.env(variable, "false");
        }

        ForkedJvm.Result run = builder.run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).isEqualTo(stdoutWithoutAgent);
        assertThat(run.stderrWithoutVmWarnings()).as("one info line, nothing else\n%s", run.describe())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith(ForkedJvm.AGENT_LOG_PREFIX)
                        .doesNotStartWith(ForkedJvm.AGENT_LOG_PREFIX + "WARN")
                        .doesNotStartWith(ForkedJvm.AGENT_LOG_PREFIX + "ERROR"));
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    @Test
    void programKeepsItsOwnOlderJacksonWhileItsCallsAreCosted() {
        FakeUsage usage = new FakeUsage(1234, 256, 56, 0);
        List<String> models = List.of("gpt-4o-mini", "gpt-4o");

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(JacksonApp.class)
                .args(server.openAiBaseUrl(Scenario.OK, usage), models.get(0), models.get(1))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutValue("jackson-core")).as(run.describe()).isEqualTo("2.12.7");
        assertThat(run.stdoutValue("jackson-databind")).as(run.describe()).isEqualTo("2.12.7");
        long totalTokens = usage.promptTokens() + usage.completionTokens();
        assertThat(run.stdoutLines()).as(run.describe())
                .filteredOn(line -> line.startsWith("reply="))
                .containsExactly(models.stream()
                        .map(m -> "reply=" + m + " " + ChatResponses.responseModel(m) + " " + totalTokens
                                + " Hello from the fake provider.")
                        .toArray(String[]::new));
        assertExactOpenAiEvents(run, models.stream().map(m -> new ExpectedCall(m, usage)).toList());
    }

    private static ForkedJvm.Builder chatApp(ForkedJvm.Builder builder) {
        return builder.mainClass(JdkHttpClientApp.class)
                .args("url=" + server.chatCompletionsUrl(Scenario.OK, USAGE), "chat=gpt-4o-mini",
                        "handler=bytes");
    }
}
