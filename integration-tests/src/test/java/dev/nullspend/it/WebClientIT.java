package dev.nullspend.it;

import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.WebClientDriver;
import java.util.List;

/**
 * Spring's {@code WebClient} on Reactor Netty, under the client contract: {@code block()} and
 * {@code subscribe}. One call is one event: only the Netty codec-level handler reports.
 */
class WebClientIT extends NettyClientIT {

    @Override
    protected Class<? extends ClientDriver> driver() {
        return WebClientDriver.class;
    }

    @Override
    protected List<Way> ways() {
        return List.of(new Way("sync", "org.springframework.web.reactive.function.client.WebClientRequestException"),
                new Way("async", "org.springframework.web.reactive.function.client.WebClientRequestException"));
    }
}
