package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.OpenAiJavaApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}, which calls OpenAI through OkHttp and
 * builds a client with {@code newBuilder()} for every request) under the agent, pointed at the fake
 * provider with a dummy key, on its own class path (its Jackson 2.18, OkHttp 4.12).
 */
class OpenAiJavaSdkIT extends FakeProviderTest {

    private static final String DENIAL = "dev.nullspend.api.BudgetExceededException";

    OpenAiJavaSdkIT(Fakes fakes) {
        super(fakes);
    }

    /**
     * Chat, async chat, a streamed chat with {@code include_usage} and a stream as the SDK sends it by
     * default (no usage asked: the agent asks for it, as it does for api.openai.com) are all billed
     * exactly, and the SDK gets the whole reply each time. Each call is one request and one line, although
     * the SDK builds a new {@code OkHttpClient} with {@code newBuilder()} for each.
     */
    @Test
    void sdkCallsGiveOneExactLineEach() {
        FakeUsage chat = new FakeUsage(1200, 400, 90, 0);
        FakeUsage async = new FakeUsage(1300, 0, 91, 0);
        FakeUsage streamUsage = new FakeUsage(1400, 256, 92, 0);
        FakeUsage streamWithoutUsage = new FakeUsage(1500, 0, 93, 0);

        ForkedJvm.Result run = sdkProgram()
                .systemProperty("nullspend.providers.include-usage-hosts", "127.0.0.1:" + server.port())
                .calls(List.of(call(chat, "gpt-4o-mini", "chat"), call(async, "gpt-4o", "chat-async"),
                        call(streamUsage, "gpt-4o-mini", "stream-usage"), call(streamWithoutUsage, "gpt-4o", "stream")))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as("the SDK got the whole reply each time\n%s", run.describe())
                .containsExactly(reply(), reply(), reply(), reply());
        assertExactOpenAiEvents(run, List.of(new ExpectedCall("gpt-4o-mini", chat), new ExpectedCall("gpt-4o", async),
                new ExpectedCall("gpt-4o-mini", streamUsage), new ExpectedCall("gpt-4o", streamWithoutUsage)));
        for (FakeUsage usage : List.of(chat, async, streamUsage, streamWithoutUsage)) {
            assertThat(server.requestCount(chatPath(usage))).as("one request per call; %s", server.requestCounts()).isEqualTo(1);
        }
    }

    /**
     * Every LLM call denied (a $0.001 budget: every call's estimate is larger, and the SDK's retries off): a
     * synchronous SDK call throws the typed denial itself; an async one goes through OkHttp's
     * {@code enqueue()}, so the SDK gets the {@code IOException} carrier and wraps it in its
     * {@code OpenAIIoException}, the denial still at the end of the cause chain. Nothing is sent.
     */
    @Test
    void denialsReachSdkCallersBeforeAnythingIsSent() {
        FakeUsage chat = new FakeUsage(1601, 0, 10, 0);
        FakeUsage async = new FakeUsage(1602, 0, 10, 0);
        FakeUsage stream = new FakeUsage(1603, 0, 10, 0);

        ForkedJvm.Result run = sdkProgram()
                .systemProperty("nullspend.budget.limit-usd", "0.001")
                .calls(List.of(call(chat, "gpt-4o-mini", "chat"), call(async, "gpt-4o", "chat-async"),
                        call(stream, "gpt-4o", "stream")))
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly(
                "error=" + DENIAL,
                "error=java.util.concurrent.CompletionException", "cause=com.openai.errors.OpenAIIoException",
                "cause=dev.nullspend.agent.exchange.NullSpendDeniedIOException", "cause=" + DENIAL,
                "error=" + DENIAL);
        for (FakeUsage usage : List.of(chat, async, stream)) {
            assertThat(server.requestCount(chatPath(usage))).as("nothing sent; %s", server.requestCounts()).isZero();
        }
        assertThat(run.ledger()).as(run.describe()).isEmpty();
    }

    private ForkedJvm.Builder sdkProgram() {
        return ForkedJvm.in(workDir).mainClass(OpenAiJavaApp.class)
                .classPath(TestEnvironment.programClassPath("openai-java-" + TestEnvironment.openAiJavaVersion()));
    }

    private static String chatPath(FakeUsage usage) {
        return "/s/ok/u/" + usage.toPathSegment() + "/v1/chat/completions";
    }

    /** The arguments of one {@link OpenAiJavaApp} call. */
    private List<String> call(FakeUsage usage, String model, String kind) {
        return List.of("base=" + server.openAiBaseUrl(Scenario.OK, usage), "model=" + model, "kind=" + kind);
    }

    private static String reply() {
        return "reply=" + ChatResponses.replyText();
    }
}
