package dev.nullspend.it;

import dev.nullspend.it.apps.VertxDriver;
import java.util.List;

/**
 * Vert.x 5's {@code HttpClient} and {@code WebClient} under the client contract, called from the program's
 * own thread and run on Vert.x's event loop (the program's scope is carried there from {@code request()}).
 */
class VertxIT extends NettyClientIT {

    VertxIT() {
        super(VertxDriver.class, List.of(new Way("client", null), new Way("web", null)));
    }
}
