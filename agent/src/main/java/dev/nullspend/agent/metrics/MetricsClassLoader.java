package dev.nullspend.agent.metrics;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * Loads the exporters and their relocated libraries (Prometheus client, OpenTelemetry SDK) from the
 * agent jar, in a loader of their own. The bootstrap class path the rest of the agent lives on cannot
 * see {@code java.net.http} nor {@code jdk.httpserver} (platform-loader modules); this loader's parent
 * is the platform loader, which sees both and, for every other {@code dev.nullspend} class, delegates
 * to the bootstrap copy. Its own packages are looked up here first: the jar is also on the bootstrap
 * class path, where those classes could not link.
 */
final class MetricsClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** Packages defined here, never by the bootstrap loader. */
    static final List<String> OWN_PACKAGES = List.of(
            "dev.nullspend.agent.metrics.prometheus.",
            "dev.nullspend.agent.metrics.otlp.",
            "dev.nullspend.agent.metrics.logging.",
            "dev.nullspend.agent.shaded.io.prometheus.",
            "dev.nullspend.agent.shaded.io.opentelemetry.");

    MetricsClassLoader(File agentJar) throws MalformedURLException {
        super("nullspend-metrics", new URL[]{agentJar.toURI().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    static boolean own(String className) {
        for (String p : OWN_PACKAGES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!own(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
