package dev.nullspend.it.support;

import dev.nullspend.it.fake.FakeProviderServer;
import dev.nullspend.it.support.FakeServers.Fakes;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of programs run in forked JVMs against its class's fake provider (see {@link FakeServers}: the
 * tests tell their calls apart by path), each test method in a work folder of its own.
 */
@ExtendWith(FakeServers.class)
public abstract class FakeProviderTest {

    protected final FakeProviderServer server;

    @TempDir
    protected Path workDir;

    protected FakeProviderTest(Fakes fakes) {
        server = fakes.provider();
    }
}
