package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.UnseenTrafficApp;
import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent gaps: LLM traffic the agent cannot cost is said once per cause, naming its stack,
 * and counted in the exit summary. {@link UnseenTrafficApp} reaches the fake provider as
 * {@code 127.0.0.1}, named an LLM host here ({@code nullspend.providers.extra-hosts}), and as
 * {@code localhost}, which is none: through {@code java.net.http} and OkHttp (instrumented, costed,
 * never warned about), a plain {@code java.net.Socket} and an NIO {@code SocketChannel} of the
 * program's own (the {@code socket-connect} watch sees their connections), and an OkHttp call
 * whose one-shot body the agent cannot read, on a host it does not know.
 */
@ExtendWith(FakeServers.class)
class UnseenTrafficIT {

    private static final int RAW_CALLS = 2;
    private static final String WARN = "[nullspend] WARN ";
    private static final String RAW_WARNING = WARN + "LLM traffic not costed: a connection to 127.0.0.1 from"
            + " com.example.MyRawSocketClient (java.net.Socket), which the agent does not instrument: its calls are"
            + " neither costed nor checked. Make them through an instrumented client (docs/supported.md) or the"
            + " NullSpend proxy (nullspend.proxy-url); further connections of com.example.MyRawSocketClient to"
            + " 127.0.0.1 are only counted (exit summary)";
    private static final String NIO_WARNING = WARN + "LLM traffic not costed: a connection to 127.0.0.1 from"
            + " com.example.MyNioClient (java.nio.channels.SocketChannel), which the agent does not instrument: its"
            + " calls are neither costed nor checked. Make them through an instrumented client (docs/supported.md) or"
            + " the NullSpend proxy (nullspend.proxy-url); further connections of com.example.MyNioClient to 127.0.0.1"
            + " are only counted (exit summary)";
    private static final String RAW_LINE = WARN + "NullSpend summary: not costed: 2 connections to 127.0.0.1 from"
            + " com.example.MyRawSocketClient (not instrumented)";
    private static final String NIO_LINE = WARN + "NullSpend summary: not costed: 1 connection to 127.0.0.1 from"
            + " com.example.MyNioClient (not instrumented)";
    private static final String ONE_SHOT_LINE = WARN + "NullSpend summary: not costed: 1 call to localhost through"
            + " okhttp3 (request body unreadable: a streamed or one-shot body; host unknown)";

    private final FakeProviderServer server;

    UnseenTrafficIT(Fakes fakes) {
        server = fakes.provider();
    }

    @TempDir
    Path workDir;

    @Test
    void eachCauseIsSaidOnceNamingItsStackAndCountedInTheExitSummary() {
        String path = chatPath(new FakeUsage(31, 0, 5, 0));

        ForkedJvm.Result run = run(path, Map.of());

        assertNotCosted(run, List.of(RAW_WARNING, NIO_WARNING, oneShotWarning(path)), List.of(RAW_LINE, NIO_LINE, ONE_SHOT_LINE),
                "2 LLM calls, \\$[0-9.]+ total, 4 not costed");
        assertThat(run.ledger()).as(run.describe()).hasSize(2); // java.net.http and OkHttp, costed
        assertThat(run.ledger()).extracting(e -> e.get("inputTokens").asLong()).containsExactly(31L, 31L);
        assertThat(server.requestCount(path)).as("every call reached the server").isEqualTo(7 + RAW_CALLS);
    }

    @Test
    void aClientWhoseInstrumentationIsTurnedOffIsNamedAsSuch() {
        String path = chatPath(new FakeUsage(32, 0, 5, 0));

        ForkedJvm.Result run = run(path, Map.of("nullspend.instrumentation.okhttp.enabled", "false"));

        // The one-shot call goes unseen with OkHttp's instrumentation off; its connection is to no LLM host.
        assertNotCosted(run, List.of(WARN + "LLM traffic not costed: a connection to 127.0.0.1 from okhttp3 (java.net.Socket),"
                        + " whose instrumentation is turned off (nullspend.instrumentation.okhttp.enabled=false): its calls"
                        + " are neither costed nor checked. Remove nullspend.instrumentation.okhttp.enabled to cost them;"
                        + " further connections of okhttp3 to 127.0.0.1 are only counted (exit summary)",
                        RAW_WARNING, NIO_WARNING),
                List.of(RAW_LINE, NIO_LINE, WARN + "NullSpend summary: not costed: 1 connection to 127.0.0.1"
                        + " from okhttp3 (instrumentation okhttp turned off)"),
                "1 LLM call, \\$[0-9.]+ total, 4 not costed");
        assertThat(run.ledger()).as(run.describe()).hasSize(1);
    }

    @Test
    void theWatchTurnedOffLeavesConnectionsAloneAndStillCountsUnreadableCalls() {
        String path = chatPath(new FakeUsage(33, 0, 5, 0));

        ForkedJvm.Result run = run(path, Map.of("nullspend.instrumentation.socket-connect.enabled", "false"));

        assertNotCosted(run, List.of(oneShotWarning(path)), List.of(ONE_SHOT_LINE), "2 LLM calls, \\$[0-9.]+ total, 1 not costed");
        assertThat(run.ledger()).as(run.describe()).hasSize(2);
    }

    private ForkedJvm.Result run(String path, Map<String, String> settings) {
        ForkedJvm.Builder jvm = ForkedJvm.in(workDir).mainClass(UnseenTrafficApp.class)
                .classPath(TestEnvironment.programClassPath("okhttp-" + TestEnvironment.okHttpVersions().get(1)))
                .systemProperty("nullspend.providers.extra-hosts", "openai=127.0.0.1")
                .args(Integer.toString(server.port()), path, Integer.toString(RAW_CALLS));
        settings.forEach(jvm::systemProperty);
        return jvm.run();
    }

    private String chatPath(FakeUsage usage) {
        return URI.create(server.chatCompletionsUrl(Scenario.OK, usage)).getPath();
    }

    private String oneShotWarning(String path) {
        return WARN + "LLM traffic not costed: a POST to localhost:" + server.port() + path + " through okhttp3 has a"
                + " body the agent cannot read (a streamed or one-shot body), and localhost is no LLM host it knows: if it"
                + " is an LLM call, it is neither costed nor checked. Name the host in nullspend.providers.extra-hosts so"
                + " that its calls are recognised by their path; further such calls to localhost through okhttp3 are only"
                + " counted (exit summary)";
    }

    /**
     * The program got what it gets without the agent; the agent warned exactly {@code warnings}, its exit summary
     * counted exactly {@code summaryLines}, and its headline matches {@code headline}.
     */
    private static void assertNotCosted(ForkedJvm.Result run, List<String> warnings, List<String> summaryLines,
                                        String headline) {
        assertOutcomes(run);
        assertThat(run.agentLines()).as(run.describe()).filteredOn(l -> l.contains("LLM traffic not costed"))
                .containsExactlyElementsOf(warnings);
        assertThat(run.agentLines()).as(run.describe()).filteredOn(l -> l.contains("NullSpend summary: not costed:"))
                .containsExactlyElementsOf(summaryLines);
        assertThat(headline(run)).as(run.describe()).matches(headline);
    }

    private static void assertOutcomes(ForkedJvm.Result run) {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        String ok = "HTTP/1.1 200 OK";
        List<String> expected = new java.util.ArrayList<>(List.of("early-raw=" + ok, "early-nio=" + ok,
                "jdk=status 200", "okhttp=status 200"));
        for (int i = 0; i < RAW_CALLS; i++) {
            expected.add("raw=" + ok);
        }
        expected.addAll(List.of("nio=" + ok, "one-shot=status 200", "late-raw=" + ok));
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(expected);
    }

    /** The summary's first line, without its prefix. */
    private static String headline(ForkedJvm.Result run) {
        String prefix = "[nullspend] NullSpend summary: ";
        return run.agentLines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElse("(no summary)");
    }
}
