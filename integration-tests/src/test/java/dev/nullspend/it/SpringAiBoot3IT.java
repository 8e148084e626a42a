package dev.nullspend.it;

import dev.nullspend.it.support.FakeServers.Fakes;
import java.util.List;

/**
 * Spring AI 1.1.2 on Spring Boot 3.5.7 ({@code it-apps/spring-ai-boot3}), OpenAI and Anthropic starters,
 * {@code ChatClient} call and stream, under the agent. Boot finds neither Apache HttpClient 5, Jetty nor Reactor
 * Netty on the starters' class path, so {@code RestClient} (calls) runs on {@code JdkClientHttpRequestFactory} and
 * {@code WebClient} (streams) on {@code JdkClientHttpConnector}: both {@code java.net.http}, both sending their
 * body through {@code BodyPublishers.fromPublisher}, which the agent reads ahead.
 */
class SpringAiBoot3IT extends SpringAiIT {

    SpringAiBoot3IT(Fakes fakes) {
        super(fakes, "spring-ai-boot3", List.of(
                "request-factory=org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder",
                "connector=[org.springframework.http.client.reactive.JdkClientHttpConnector]"));
    }
}
