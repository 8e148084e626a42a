package dev.nullspend.it.fake;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server every fake provider here runs on: 127.0.0.1, a free port, a pool of daemon threads
 * (a handler may block, a gated response say, while other requests must still be served).
 */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds 127.0.0.1 on a free port and serves every path with {@code handler}, on threads named {@code threadName-N}. */
    static LoopbackServer start(String threadName, HttpHandler handler) {
        // Without TCP_NODELAY, headers and body leave in two packets and every response waits
        // ~40 ms for a delayed ACK (Nagle): set it before the JDK server reads its configuration.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
            server.createContext("/", handler);
            server.setExecutor(executor);
            server.start();
            return new LoopbackServer(server, executor);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start " + threadName, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
