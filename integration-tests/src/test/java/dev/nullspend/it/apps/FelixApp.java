package dev.nullspend.it.apps;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * An OSGi framework (whichever {@link FrameworkFactory} the class path holds: Apache Felix in
 * ContainersIT) with two bundles: OkHttp wrapped as a bundle, and the program's bundle that imports
 * {@code okhttp3} only. Runs {@code ContainerCalls} from the program's bundle and prints its lines.
 * Args: {@code storageDir okhttpBundle appBundle client wholeUrl streamedUrl deniedUrl}.
 */
public final class FelixApp {
    private FelixApp() {
    }

    public static void main(String[] args) throws Exception {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework framework = factory.newFramework(Map.of(
                "org.osgi.framework.storage", args[0],
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.start();
        try {
            Bundle okhttp = framework.getBundleContext().installBundle(new File(args[1]).toURI().toString());
            Bundle app = framework.getBundleContext().installBundle(new File(args[2]).toURI().toString());
            okhttp.start();
            app.start();
            Class<?> calls = app.loadClass("dev.nullspend.it.containers.ContainerCalls");
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) calls.getMethod("run", String.class, String.class, String.class,
                    String.class).invoke(null, args[3], args[4], args[5], args[6]);
            for (String line : lines) {
                System.out.println(line);
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }
}
