package dev.nullspend.agent.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the operating system's package) for tests of fleet mode: on a free
 * port of 127.0.0.1, persistence off, stopped by {@link #close}. It can be stopped and started
 * again on the same port (Redis going away mid-run), and answers commands through {@link #call}, a
 * minimal RESP client of the JDK only, so that the unit tests and the integration tests (through
 * the agent's test jar) read Redis the same way without a client library.
 */
public final class RedisServer implements AutoCloseable {
    public static final String BINARY = System.getProperty("redis.server", "/usr/bin/redis-server");

    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("redis-" + port, ".log");
    }

    /** A new server on a free port, answering PING. */
    public static RedisServer start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(port);
        server.restart();
        return server;
    }

    /** Starts the server (again) on its port; returns once it answers PING. */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                "--enable-debug-command", "local")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if ("PONG".equals(call("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not start on port " + port + ": "
                            + Files.readString(log), notYet);
                }
            }
            sleep(20);
        }
    }

    /** Stops the server (SIGKILL: nothing is saved, connections break at once). */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file left behind
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one command on a new connection and returns its reply: a {@code String} (simple or bulk
     * string, {@code null} for a null bulk), a {@code Long}, or a {@code List} of those.
     *
     * @throws IOException when the server cannot be reached, or answers with an error
     */
    public Object call(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream cmd = new ByteArrayOutputStream();
            cmd.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                cmd.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                cmd.writeBytes(b);
                cmd.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(cmd.toByteArray());
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    /** {@code HGET key field} as a number, 0 when absent. */
    public long hgetLong(String key, String field) throws IOException {
        Object v = call("HGET", key, field);
        return v == null ? 0 : Long.parseLong((String) v);
    }

    private static Object read(InputStream in) throws IOException {
        String line = line(in);
        switch (line.charAt(0)) {
            case '+':
                return line.substring(1);
            case '-':
                throw new IOException("redis error: " + line.substring(1));
            case ':':
                return Long.parseLong(line.substring(1));
            case '$': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read(); // \n
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
