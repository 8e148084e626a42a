package dev.nullspend.it;

import dev.nullspend.it.apps.ClientDriver;
import dev.nullspend.it.apps.ReactorNettyDriver;
import java.util.List;

/**
 * Reactor Netty's {@code HttpClient} used raw, under the client contract: {@code block()} and
 * {@code subscribe} (the request is written and read on Netty's event loop; the program's scope is carried
 * there through the Reactor context).
 */
class ReactorNettyIT extends NettyClientIT {

    @Override
    protected Class<? extends ClientDriver> driver() {
        return ReactorNettyDriver.class;
    }

    @Override
    protected List<Way> ways() {
        return List.of(new Way("sync", null), new Way("async", null));
    }
}
