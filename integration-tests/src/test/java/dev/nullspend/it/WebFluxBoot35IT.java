package dev.nullspend.it;

import dev.nullspend.it.apps.ReactorNettyDriver;
import dev.nullspend.it.apps.RestClientDriver;
import dev.nullspend.it.apps.WebClientDriver;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.List;

/**
 * What Spring Boot 3.5.7's {@code spring-boot-starter-webflux} brings (Reactor Netty 1.2, Spring Framework 6.2.12,
 * Netty 4.1; {@code it-apps/spring-ai-boot3-webflux}): the core cases of raw Reactor Netty, WebClient and
 * {@code RestClient} on {@code ReactorClientHttpRequestFactory}.
 */
class WebFluxBoot35IT extends NettyClientVersionsIT {

    @Override
    protected List<Client> clients() {
        return List.of(new Client(ReactorNettyDriver.class, ReactorNettyIT.WAYS, "first"),
                new Client(WebClientDriver.class, WebClientIT.WAYS, "first-events"),
                new Client(RestClientDriver.class, RestClientIT.WAYS, null));
    }

    @Override
    protected List<Path> classPath() {
        return TestEnvironment.programClassPathOnItApp("spring-ai-boot3-webflux");
    }
}
