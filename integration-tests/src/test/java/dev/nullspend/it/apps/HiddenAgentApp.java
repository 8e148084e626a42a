package dev.nullspend.it.apps;

import dev.nullspend.it.containers.ContainerCalls;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * OkHttp in a class loader that hides the agent's API package: it passes the JDK's packages and
 * {@code dev.nullspend.agent.*} to its parent and loads everything else itself, so the agent's helpers
 * can be defined there but {@code dev.nullspend.api.*} never resolves. Its name has no "Loader" in
 * it, so the agent does not teach it to delegate. Two calls through {@code OkHttpCalls}, each on a new
 * client; prints what each read. Args: {@code url classPathEntry…}.
 */
public final class HiddenAgentApp {
    /** What each call posts: a chat request the agent would cost, were OkHttp instrumented there. */
    public static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";

    private HiddenAgentApp() {
    }

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            urls.add(new File(args[i]).toURI().toURL());
        }
        try (HidingClassPath hiding = new HidingClassPath(urls.toArray(URL[]::new))) {
            Object calls = hiding.loadClass("dev.nullspend.it.containers.OkHttpCalls").getDeclaredConstructor().newInstance();
            for (int i = 0; i < 2; i++) {
                byte[] body = (byte[]) calls.getClass().getMethod("post", String.class, String.class)
                        .invoke(calls, args[0], BODY);
                System.out.println("call" + i + "=" + ContainerCalls.digest(body));
            }
        }
    }

    /** Parent-last for everything but the JDK's packages and the agent's core. */
    static final class HidingClassPath extends URLClassLoader {
        HidingClassPath(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                    || name.startsWith("dev.nullspend.agent.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
