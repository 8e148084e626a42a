package dev.nullspend.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.ProxyApp;
import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeNullSpendProxy;
import dev.nullspend.it.support.ForkedJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nullspend.proxy-url} inside {@code proposeAndWait}'s task, every way of calling: each call carries
 * the action's id to the proxy ({@code X-NullSpend-Action-Id}). The rest of proxy mode (headers, denials,
 * other answers) is in the client contract ({@link ClientContractIT}).
 */
class ProxyModeIT {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    /** How long an action may take to appear: a bound for a loaded machine, not a measure. */
    private static final Duration DECISION_WAIT = Duration.ofSeconds(120);
    /**
     * The ways a program takes a response: send/sendAsync, execute/enqueue, and the Apache clients: 4 and 5
     * classic, 5 async (a future).
     */
    private static final List<List<String>> WAYS = List.of(List.of("client=jdk", "mode=sync"),
            List.of("client=jdk", "mode=async"), List.of("client=okhttp", "mode=sync"), List.of("client=okhttp", "mode=async"),
            List.of("client=hc4"), List.of("client=hc5"), List.of("client=hc5-async"));

    @TempDir
    Path workDir;

    private FakeNullSpendProxy proxy;
    private FakeNullSpendProxy elsewhere;
    private FakeNullSpendApi api;

    @BeforeEach
    void start() {
        proxy = FakeNullSpendProxy.start();
        elsewhere = FakeNullSpendProxy.start();
        api = FakeNullSpendApi.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        elsewhere.close();
        api.close();
    }

    @Test
    void callsOfAnApprovedActionsTaskCarryItsIdEveryWayOfCalling() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        for (List<String> way : WAYS) {
            calls.add(join(way, List.of("url=" + proxy.chatUrl(), "action=billing-bot", "session=sess-7")));
        }
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

        ForkedJvm.Result run = launch(calls).timeout(DECISION_WAIT.multipliedBy(2)).run();
        decider.join(5_000);

        assertThat(deciderFailure.get()).as(run.describe()).isNull();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        String completion = "body=" + new String(FakeNullSpendProxy.COMPLETION, StandardCharsets.UTF_8);
        assertThat(run.stdoutLines()).as(run.describe()).containsExactlyElementsOf(
                java.util.Collections.nCopies(WAYS.size(), List.of("status=200", completion)).stream()
                        .flatMap(List::stream).toList());
        List<String> ids = api.actionIds();
        assertThat(ids).as(run.describe()).hasSize(WAYS.size()).doesNotHaveDuplicates();
        List<Map<String, String>> atProxy = proxy.requestHeaders();
        assertThat(atProxy).as(run.describe()).hasSize(WAYS.size());
        for (int i = 0; i < WAYS.size(); i++) {
            assertThat(atProxy.get(i)).as("%s", WAYS.get(i)).containsEntry("x-nullspend-action-id", ids.get(i))
                    .containsEntry("x-nullspend-session", "sess-7");
            assertThat(api.action(ids.get(i)).get("status")).as("%s", WAYS.get(i)).isEqualTo("executed");
        }
    }

    private ForkedJvm.Builder launch(List<List<String>> calls) {
        List<String> args = new ArrayList<>();
        for (List<String> call : calls) {
            if (!args.isEmpty()) {
                args.add("--");
            }
            args.addAll(call);
        }
        return ForkedJvm.in(workDir).mainClass(ProxyApp.class)
                .systemProperty("nullspend.proxy-url", proxy.origin())
                .systemProperty("nullspend.api-key", FakeNullSpendApi.TEST_KEY)
                .systemProperty("nullspend.base-url", api.baseUrl())
                .systemProperty("nullspend.tags", "team=search,_ns_internal=1")
                .args(args.toArray(String[]::new));
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
