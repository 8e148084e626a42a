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
 * The server every fake provider here runs on: 127.0.0.1, a free port, a pool of daemon threads (a handler
 * may block, a gated response say, while other requests must still be served). HTTP/1.1 on the JDK's
 * server, or HTTP/2 on {@link Http2LoopbackServer} with the same handlers. {@code stop} stops the server and its
 * threads.
 */
record LoopbackServer(int port, Runnable stop) implements AutoCloseable {

    /** Binds 127.0.0.1 on a free port and serves every path with {@code handler}, on threads named {@code threadName-N}. */
    static LoopbackServer start(String threadName, HttpHandler handler) {
        // Without TCP_NODELAY, headers and body leave in two packets and every response waits
        // ~40 ms for a delayed ACK (Nagle): set it before the JDK server reads its configuration.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        ExecutorService executor = handlerThreads(threadName);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
            server.createContext("/", handler);
            server.setExecutor(executor);
            server.start();
            return new LoopbackServer(server.getAddress().getPort(), () -> {
                server.stop(0);
                executor.shutdownNow();
            });
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start " + threadName, e);
        }
    }

    /**
     * As {@link #start}, speaking HTTP/2 with prior knowledge (h2c), each response part sent in DATA frames of
     * at most {@code dataFrameSize} bytes.
     */
    static LoopbackServer startHttp2(String threadName, HttpHandler handler, int dataFrameSize) {
        return Http2LoopbackServer.start(handler, handlerThreads(threadName), dataFrameSize);
    }

    private static ExecutorService handlerThreads(String threadName) {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        stop.run();
    }
}
