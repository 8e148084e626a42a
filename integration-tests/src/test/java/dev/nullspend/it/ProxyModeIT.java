package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.ClientApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeNullSpendProxy;
import dev.nullspend.it.fake.Sha256;
import dev.nullspend.it.support.FakeApiPerTest;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nullspend.proxy-url} inside {@code proposeAndWait}'s task, every way of calling: each call carries
 * the action's id to the proxy ({@code X-NullSpend-Action-Id}). The rest of proxy mode (headers, denials,
 * other answers) is in the client contract ({@link ClientContractIT}).
 */
@Tag(TestEnvironment.AGENT_LOGIC)
@ExtendWith(FakeServers.class)
class ProxyModeIT extends FakeApiPerTest {
    /** How long an action may take to appear: a bound for a loaded machine, not a measure. */
    private static final Duration DECISION_WAIT = Duration.ofSeconds(120);
    /**
     * The ways a program takes a response: send/sendAsync, execute/enqueue, and the Apache clients: 4 and 5
     * classic, 5 async (a future); HttpClient 5 without its automatic retries, which repeat a 429 before the
     * program sees it.
     */
    private static final List<List<String>> WAYS = List.of(List.of("driver=JdkDriver", "mode=sync"),
            List.of("driver=JdkDriver", "mode=async"), List.of("driver=OkHttpDriver", "mode=sync"),
            List.of("driver=OkHttpDriver", "mode=async"), List.of("driver=Hc4Driver"),
            List.of("driver=Hc5Driver", "build=no-retries"), List.of("driver=Hc5AsyncDriver", "build=no-retries"));

    /** Three API requests per action (create, poll, result): three ways stay inside one program's burst of 10. */
    private static final int WAYS_PER_PROGRAM = 3;

    private final FakeNullSpendProxy proxy;

    ProxyModeIT(Fakes fakes) {
        proxy = fakes.proxy();
    }

    @TempDir
    Path workDir;

    @Test
    void callsOfAnApprovedActionsTaskCarryItsIdEveryWayOfCalling() throws Exception {
        AtomicReference<Throwable> deciderFailure = new AtomicReference<>();
        Thread decider = new Thread(() -> {
            try {
                for (int n = 0; n < WAYS.size(); n++) {
                    api.approve(api.awaitAction(n, DECISION_WAIT));
                }
            } catch (Throwable e) {
                deciderFailure.set(e);
            }
        }, "dashboard-user");
        decider.setDaemon(true);
        decider.start();

        // Programs side by side: each program's API client paces itself to the API's rate limit (bursts of
        // 10), so seven actions in one program would wait a minute's share of permits.
        List<CompletableFuture<ForkedJvm.Result>> programs = new ArrayList<>();
        for (int first = 0; first < WAYS.size(); first += WAYS_PER_PROGRAM) {
            List<List<String>> calls = new ArrayList<>();
            for (List<String> way : WAYS.subList(first, Math.min(WAYS.size(), first + WAYS_PER_PROGRAM))) {
                calls.add(ClientContractIT.join(way, List.of("url=" + proxy.chatUrl(), "chat=gpt-4o-mini",
                        "action=billing-bot", "session=sess-7")));
            }
            Path dir = Files.createDirectories(workDir.resolve("program-" + first));
            programs.add(CompletableFuture.supplyAsync(() -> launch(dir, calls).timeout(DECISION_WAIT.multipliedBy(2)).run()));
        }
        List<ForkedJvm.Result> runs = new ArrayList<>();
        for (CompletableFuture<ForkedJvm.Result> program : programs) {
            runs.add(program.join());
        }
        decider.join(5_000);
        String described = runs.stream().map(ForkedJvm.Result::describe).collect(Collectors.joining("\n"));

        assertThat(deciderFailure.get()).as(described).isNull();
        for (ForkedJvm.Result run : runs) {
            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(run.stdoutLines()).as(run.describe()).allMatch(line -> line.startsWith("result="));
            assertThat(run.results()).as(run.describe()).allSatisfy(result -> {
                assertThat(result.path("status").asInt()).isEqualTo(200);
                assertThat(result.path("sha256").asText()).isEqualTo(Sha256.hex(FakeNullSpendProxy.COMPLETION));
                assertThat(result.path("bytes").asInt()).isEqualTo(FakeNullSpendProxy.COMPLETION.length);
            });
        }
        assertThat(runs.stream().mapToInt(run -> run.results().size()).sum()).as(described).isEqualTo(WAYS.size());
        // Each call carried the id of its own action: as many distinct ids at the proxy as actions, each executed.
        List<String> ids = api.actionIds();
        assertThat(ids).as(described).hasSize(WAYS.size()).doesNotHaveDuplicates();
        List<Map<String, String>> atProxy = proxy.requestHeaders();
        assertThat(atProxy).as(described).hasSize(WAYS.size())
                .allSatisfy(headers -> assertThat(headers).containsEntry("x-nullspend-session", "sess-7"));
        assertThat(atProxy.stream().map(headers -> headers.get("x-nullspend-action-id")))
                .as(described).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            assertThat(api.action(id).get("status")).as(id).isEqualTo("executed");
        }
    }

    private ForkedJvm.Builder launch(Path dir, List<List<String>> calls) {
        return ForkedJvm.in(dir).mainClass(ClientApp.class)
                .systemProperty("nullspend.proxy-url", proxy.origin())
                .systemProperty("nullspend.api-key", FakeNullSpendApi.TEST_KEY)
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.tags", "team=search,_ns_internal=1")
                .calls(calls);
    }
}
