package dev.nullspend.it;

import org.junit.jupiter.api.Tag;
import dev.nullspend.it.support.FakeServers.Fakes;
import dev.nullspend.it.support.TestEnvironment;
import java.util.List;

/**
 * {@link SpringAiIT}'s cases on {@link SpringAiBoot3IT}'s program with {@code spring-boot-starter-webflux} beside
 * it ({@code it-apps/spring-ai-boot3-webflux}): Boot then builds Spring AI's {@code RestClient} (calls) on
 * {@code ReactorClientHttpRequestFactory} and its {@code WebClient} (streams) on {@code ReactorClientHttpConnector},
 * both Reactor Netty 1.2 on Netty 4.1, which the agent's Netty handler costs and checks.
 */
@Tag(TestEnvironment.LIBRARY_VERSIONS)
class SpringAiBoot3WebFluxIT extends SpringAiIT {

    SpringAiBoot3WebFluxIT(Fakes fakes) {
        super(fakes, "spring-ai-boot3-webflux", REACTOR_CLIENTS);
    }

    /**
     * One attempt per call: Spring's {@code ReactorClientHttpRequest} turns every failure, the agent's denial too, into
     * an {@code IOException}, which {@code RestClient} reports as a {@code ResourceAccessException}, which Spring AI's
     * retry takes as transient (ten attempts, minutes of back-off; each attempt denied before a byte is sent).
     */
    @Override
    protected List<String> options() {
        return List.of("--spring.ai.retry.max-attempts=1");
    }
}
