package dev.nullspend.it;

import dev.nullspend.it.apps.ReactorNettyDriver;
import dev.nullspend.it.apps.WebClientDriver;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.List;

/**
 * Reactor Netty 1.1.31 and Spring WebClient 6.1.21 on Netty 4.1.122 ({@code it-apps/webflux-spring61}): the core cases
 * of raw Reactor Netty ({@code responseContent().take(1)} cancelling) and WebClient ({@code bodyToFlux(...).take(1)}).
 */
class WebFluxSpring61IT extends NettyClientVersionsIT {

    @Override
    protected List<Client> clients() {
        return List.of(new Client(ReactorNettyDriver.class, ReactorNettyIT.WAYS, "first"),
                new Client(WebClientDriver.class, WebClientIT.WAYS, "first-events"));
    }

    @Override
    protected List<Path> classPath() {
        return TestEnvironment.programClassPathOnItApp("webflux-spring61");
    }
}
