package dev.nullspend.it;

import dev.nullspend.it.apps.RestClientDriver;
import java.nio.file.Path;
import java.util.List;

/**
 * Spring 7.0.10's {@code RestClient} on {@code ReactorClientHttpRequestFactory} (Reactor Netty 1.3.7, the test class
 * path as {@link WebClientIT} runs it): the core cases; {@link WebFluxBoot35IT} runs the same on Spring 6.2.
 */
class RestClientIT extends NettyClientVersionsIT {

    /** The blocking call: the program gets the denial as the cause of a {@code ResourceAccessException}. */
    static final List<Way> WAYS = List.of(new Way("sync", "org.springframework.web.client.ResourceAccessException"));

    @Override
    protected List<Client> clients() {
        return List.of(new Client(RestClientDriver.class, WAYS, null));
    }

    @Override
    protected List<Path> classPath() {
        return WebClientIT.testClassPathWithNewerJackson();
    }
}
