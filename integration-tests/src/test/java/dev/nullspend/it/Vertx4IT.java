package dev.nullspend.it;

import dev.nullspend.it.apps.VertxDriver;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.List;

/** Vert.x 4.5.27 on Netty 4.1 ({@code it-apps/vertx4}): the core cases of its {@code HttpClient} and {@code WebClient}. */
class Vertx4IT extends NettyClientVersionsIT {

    @Override
    protected List<Client> clients() {
        return List.of(new Client(VertxDriver.class, VertxIT.WAYS, null));
    }

    @Override
    protected List<Path> classPath() {
        return TestEnvironment.programClassPathOnItApp("vertx4");
    }
}
