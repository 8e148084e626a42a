package dev.nullspend.it;

import dev.nullspend.it.apps.VertxDriver;
import java.util.List;

/**
 * Vert.x 5's {@code HttpClient} and {@code WebClient} under the client contract, called from the program's
 * own thread and run on Vert.x's event loop (the program's scope is carried there from {@code request()}).
 */
class VertxIT extends NettyClientIT {

    /** The core {@code HttpClient} and the {@code WebClient}: the future fails with the typed denial itself. */
    static final List<Way> WAYS = List.of(new Way("client", null), new Way("web", null));

    VertxIT() {
        super(VertxDriver.class, WAYS);
    }
}
