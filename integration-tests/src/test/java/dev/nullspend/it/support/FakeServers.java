package dev.nullspend.it.support;

import dev.nullspend.it.fake.FakeNullSpendApi;
import dev.nullspend.it.fake.FakeNullSpendProxy;
import dev.nullspend.it.fake.FakeProviderServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The fakes of a test class, as a JUnit extension: a test method, constructor or {@code @BeforeEach}
 * takes a {@link Fakes} parameter and gets the class's one instance. Each fake starts on its first use
 * and stops after the class's last test; test methods of a class run in parallel, so they tell their
 * calls apart by path (each call its own usage numbers), never by resetting a fake.
 */
public final class FakeServers implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeServers.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Fakes.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Fakes.class, type -> new Fakes(), Fakes.class);
    }

    /** The provider, the NullSpend API and two proxies (one to call, one as another origin), started lazily. */
    public static final class Fakes implements ExtensionContext.Store.CloseableResource {
        private final List<AutoCloseable> started = new ArrayList<>();
        private FakeProviderServer provider;
        private FakeNullSpendApi api;
        private FakeNullSpendProxy proxy;
        private FakeNullSpendProxy otherOrigin;

        public synchronized FakeProviderServer provider() {
            return provider = startOnce(provider, FakeProviderServer::start);
        }

        public synchronized FakeNullSpendApi api() {
            return api = startOnce(api, FakeNullSpendApi::start);
        }

        /** The proxy that {@code nullspend.proxy-url} names. */
        public synchronized FakeNullSpendProxy proxy() {
            return proxy = startOnce(proxy, FakeNullSpendProxy::start);
        }

        /** A second proxy, for calls to an origin that is not the configured proxy. */
        public synchronized FakeNullSpendProxy otherOrigin() {
            return otherOrigin = startOnce(otherOrigin, FakeNullSpendProxy::start);
        }

        private <T extends AutoCloseable> T startOnce(T current, Supplier<T> start) {
            if (current != null) {
                return current;
            }
            T fake = start.get();
            started.add(fake);
            return fake;
        }

        @Override
        public synchronized void close() throws Exception {
            for (AutoCloseable fake : started) {
                fake.close();
            }
        }
    }
}
