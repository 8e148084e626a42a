package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.it.apps.LangChain4jApp;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.FakeProviderTest;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.FakeServers;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI models ({@code dev.langchain4j:langchain4j-open-ai}) under the agent with their
 * default HTTP client, {@code java.net.http}, pointed at the fake provider with a dummy key, on their
 * own class path (its Jackson 2.22, slf4j).
 */
class LangChain4jIT extends FakeProviderTest {

    LangChain4jIT(Fakes fakes) {
        super(fakes);
    }

    /**
     * A chat and a streamed chat each give one exact line: LangChain4j's streaming model asks for
     * {@code stream_options.include_usage} itself, so the provider reports the stream's usage.
     */
    @Test
    void chatAndStreamedChatGiveOneExactLineEach() {
        FakeUsage chat = new FakeUsage(1700, 512, 94, 0);
        FakeUsage stream = new FakeUsage(1800, 256, 95, 0);

        ForkedJvm.Result run = ForkedJvm.in(workDir).mainClass(LangChain4jApp.class)
                .classPath(TestEnvironment.programClassPath("langchain4j-" + TestEnvironment.langChain4jVersion()))
                .args("base=" + server.openAiBaseUrl(Scenario.OK, chat), "model=gpt-4o-mini", "kind=chat", "--",
                        "base=" + server.openAiBaseUrl(Scenario.OK, stream), "model=gpt-4o", "kind=stream")
                .run();

        assertThat(run.exitCode()).as(run.describe()).isZero();
        String reply = "reply=" + ChatResponses.replyText();
        assertThat(run.stdoutLines()).as("LangChain4j got the whole reply each time\n%s", run.describe())
                .containsExactly(reply, reply);
        assertExactOpenAiEvents(run, List.of(new ExpectedCall("gpt-4o-mini", chat), new ExpectedCall("gpt-4o", stream)));
        for (FakeUsage usage : List.of(chat, stream)) {
            assertThat(server.requestCount("/s/ok/u/" + usage.toPathSegment() + "/v1/chat/completions"))
                    .as("one request per call; %s", server.requestCounts()).isEqualTo(1);
        }
    }
}
