package dev.nullspend.agent.bootstrap;

import dev.nullspend.agent.api.HttpTransport;
import dev.nullspend.agent.api.NullSpendApiClient;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creates the API client's {@code java.net.http} transport. The core lives on the bootstrap class
 * path, which cannot see {@code java.net.http} (a platform-loader module), so the transport's
 * classes are defined inside the platform class loader by the {@link HelperInjector}, like the
 * JDK client's instrumentation helpers; the core holds it through {@link HttpTransport}, an
 * interface of JDK types only. Called once, lazily, by the first API request (the remote policy's
 * first fetch, the reporter's first batch, or a program thread calling the {@code NullSpend}
 * facade's API methods).
 */
final class JdkTransportFactory implements Supplier<HttpTransport> {
    /** Named by string: a class literal would make the bootstrap loader load (and fail to link) it. */
    static final String TRANSPORT = "dev.nullspend.agent.api.jdk.JdkHttpTransport";
    /** Every class of the transport, those it uses before itself. */
    static final List<String> CLASSES = List.of("dev.nullspend.agent.api.jdk.BoundedBodySubscriber", TRANSPORT);

    private final HelperInjector injector;

    JdkTransportFactory(HelperInjector injector) {
        this.injector = injector;
    }

    @Override
    public HttpTransport get() {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        if (!injector.inject(platform, null, CLASSES)) {
            throw new IllegalStateException("cannot define the API transport beside java.net.http");
        }
        try {
            Class<?> type = Class.forName(TRANSPORT, true, platform);
            return (HttpTransport) type.getConstructor(Duration.class).newInstance(NullSpendApiClient.TIMEOUT);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the API transport", e);
        }
    }
}
