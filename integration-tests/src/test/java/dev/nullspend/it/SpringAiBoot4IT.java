package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.TestEnvironment;

/**
 * {@link SpringAiIT}'s cases on {@link SpringAiBoot3IT}'s program built against Spring AI 2.0.1 and Spring Boot
 * 4.0.7 ({@code it-apps/spring-ai-boot4}): its OpenAI and Anthropic chat models call through the vendors' SDKs
 * (openai-java and anthropic-java, both on OkHttp 4.12), whatever Boot chose for {@code RestClient} and
 * {@code WebClient}.
 */
@Tag(TestEnvironment.LIBRARY_VERSIONS)
class SpringAiBoot4IT extends SpringAiIT {

    SpringAiBoot4IT(Fakes fakes) {
        super(fakes, "spring-ai-boot4", REACTOR_CLIENTS);
    }

    /** The OpenAI SDK takes the base URL with its {@code /v1}. */
    @Override
    protected String openAiBaseUrl(String v1) {
        return v1;
    }
}
