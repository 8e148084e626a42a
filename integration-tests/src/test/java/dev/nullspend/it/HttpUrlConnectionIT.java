package dev.nullspend.it;

import static dev.nullspend.it.support.EventAssertions.assertEstimatedOpenAiEvent;
import static dev.nullspend.it.support.EventAssertions.assertExactOpenAiEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nullspend.it.apps.UrlConnectionDriver;
import dev.nullspend.it.fake.ChatResponses;
import dev.nullspend.it.fake.FakeUsage;
import dev.nullspend.it.fake.Scenario;
import dev.nullspend.it.support.EventAssertions.ExpectedCall;
import dev.nullspend.it.support.ForkedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * {@code java.net.HttpURLConnection} under the agent, in forked JVMs: the client contract
 * ({@link ClientContractIT}) on each way a body is sent — buffered by the JDK (the default), fixed-length
 * streaming (after an explicit {@code connect()}), chunked streaming — read with {@code getInputStream()}
 * first or {@code getResponseCode()} first, the error stream for failed calls; and what is this client's
 * own: https (the {@code HttpsURLConnectionImpl} a program holds delegates to a subclass of the http
 * connection), and a streamed request body longer than the 4 MiB the agent holds back.
 */
class HttpUrlConnectionIT extends ClientContractIT {

    /** The API throws only IOExceptions: a denial reaches the program inside one, its cause the typed denial. */
    private static final String CARRIER = "dev.nullspend.agent.exchange.NullSpendDeniedIOException";
    private static final String INCLUDE_USAGE_HOSTS = "nullspend.providers.include-usage-hosts";
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    HttpUrlConnectionIT() {
        super(UrlConnectionDriver.class, List.of(new Way("sync", CARRIER), new Way("fixed", CARRIER), new Way("chunked", CARRIER)));
    }

    /**
     * Over https, on every way of sending the body: plain and streamed with and without {@code include_usage}
     * (the agent asks for the usage of the https host too), read both ways. One exact line per call, the
     * provider's bytes, each call sent once, the same program output without the agent.
     */
    @Test
    void httpsCallsAreCostedExactlyOnceThroughTheDelegatingConnection() throws Exception {
        try (TlsForwarder tls = TlsForwarder.start(workDir, server.port())) {
            List<Call> calls = new ArrayList<>();
            int n = 0;
            for (Way way : ways()) {
                for (String stream : List.of("off", "usage", "no-usage")) {
                    String model = MODELS[n % MODELS.length];
                    FakeUsage usage = new FakeUsage(8101 + 97L * n, 128L * (n % 3), 81 + 7L * n, model.equals("o3") ? 19 : 0);
                    Call call = chat(Scenario.OK, usage, model, stream, way, n % 2 == 0 ? "whole" : "streamed");
                    calls.add(new Call(tls.https(call.args()), call.status(), call.body(), call.event()));
                    n++;
                }
            }
            String hosts = "127.0.0.1:" + server.port() + ",127.0.0.1:" + tls.port();

            ForkedJvm.Result withAgent = tls.trusted(program(true, calls)).systemProperty(INCLUDE_USAGE_HOSTS, hosts).run();
            ForkedJvm.Result withoutAgent = tls.trusted(program(false, calls)).run();

            assertResults(withAgent, calls);
            assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
            assertExactOpenAiEvents(withAgent, calls.stream().map(Call::event).toList());
            assertSentOncePerRun(calls, 2);
        }
    }

    /**
     * A 5,000,000-byte chat request (a long {@code user}) in each streaming mode: the agent holds its first
     * 4 MiB, decides on them, then sends them and lets the rest through. The provider gets the whole body
     * once (it answers only a body it can parse); plain and streamed with {@code include_usage} give exact
     * lines; a stream without it cannot be asked for its usage (the agent never had the whole body), so the
     * program reads it as sent and the call is billed at its estimate.
     */
    @Test
    void aStreamedBodyLongerThanWhatTheAgentHoldsIsSentWholeAndCosted() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways().subList(1, 3)) {
            for (String stream : List.of("off", "usage")) {
                calls.add(chat(Scenario.OK, new FakeUsage(1_250_101 + n, 0, 31 + n, 0), "gpt-4o-mini", stream, way,
                        "whole", "pad=5000000"));
                n++;
            }
            Call notAsked = chat(Scenario.OK, new FakeUsage(1_250_201 + n, 0, 41 + n, 0), "gpt-4o-mini", "no-usage",
                    way, "streamed", "pad=5000000");
            calls.add(new Call(notAsked.args(), 200, ChatResponses.streamBody("gpt-4o-mini", null), null, "gpt-4o-mini"));
            n++;
        }

        ForkedJvm.Result withAgent = program(true, calls).run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
        List<JsonNode> events = withAgent.ledger();
        List<JsonNode> estimated = events.stream()
                .filter(e -> e.path("tags").path("_ns_estimated").asText().equals("true")).toList();
        assertThat(estimated).as(withAgent.describe()).hasSize(2);
        for (JsonNode event : estimated) {
            assertEstimatedOpenAiEvent(event, withAgent, "gpt-4o-mini");
        }
        // The estimate (x 1.1) of 16,384 output tokens at $0.60/M, plus in the fixed-length mode the declared
        // 5,000,099 bytes as 1,250,025 input tokens at $0.15/M; a chunked body's length is unknown: no input.
        assertThat(estimated).extracting(e -> e.path("costMicrodollars").asLong()).as(withAgent.describe())
                .containsExactlyInAnyOrder(217_068L, 10_813L);
        assertExactOpenAiEvents(withAgent, events.stream().filter(e -> !estimated.contains(e)).toList(),
                calls.stream().filter(c -> c.event() != null).map(Call::event).toList());
        assertSentOncePerRun(calls, 2);
    }

    /**
     * On every way of sending: {@code getHeaderField} first (it reaches {@code getInputStream} too), plain and
     * streamed with and without {@code include_usage}: one exact line each; an {@code o3} call (not an allowed
     * model) read the same way: {@code getHeaderField} answers null, then {@code getResponseCode} throws the
     * carrier, nothing is sent; a stream the program disconnects after its first event (its usage comes last):
     * one line, cut, at the estimate of its 124-byte body (31 input and 16,384 output tokens of gpt-4o, x 1.1:
     * 180,309 µ$).
     */
    @Test
    void headerFieldFirstAndADisconnectGiveOneLinePerCall() {
        List<Call> calls = new ArrayList<>();
        List<ExpectedCall> exact = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            for (String stream : List.of("off", "usage", "no-usage")) {
                String model = n % 2 == 0 ? "gpt-4o" : "gpt-4o-mini";
                Call call = chat(Scenario.OK, new FakeUsage(4801 + 31L * n, 64L * (n % 2), 48 + n, 0), model, stream, way,
                        "header-first");
                calls.add(call);
                exact.add(call.event());
                n++;
            }
            calls.add(denied(chat(Scenario.OK, new FakeUsage(4901 + n++, 0, 49, 0), "o3", "off", way, "header-first")));
            Call cut = chat(Scenario.OK, new FakeUsage(4951 + n++, 0, 49, 0), "gpt-4o", "usage", way,
                    "first-event-then-disconnect");
            calls.add(new Call(cut.args(), 200, null, null, "gpt-4o"));
        }

        ForkedJvm.Result withAgent = program(true, calls).systemProperty("nullspend.allowed-models", "gpt-4o,gpt-4o-mini")
                .run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        List<JsonNode> results = results(withAgent);
        List<JsonNode> without = results(withoutAgent);
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).status() == 0) {
                assertThat(results.get(i).path("error").asText()).as(withAgent.describe()).isEqualTo(CARRIER);
                assertThat(results.get(i).path("denial").path("code").asText()).isEqualTo("mandate_violation");
                assertThat(server.requestCount(calls.get(i).path())).as("sent by the run without the agent only")
                        .isEqualTo(1);
            } else {
                assertThat(results.get(i)).as("call %d as without the agent", i).isEqualTo(without.get(i));
            }
        }
        List<JsonNode> events = withAgent.ledger();
        List<JsonNode> cut = events.stream().filter(e -> e.path("tags").path("_ns_cancelled").asText().equals("true"))
                .toList();
        assertThat(cut).as(withAgent.describe()).hasSize(ways().size())
                .allSatisfy(e -> assertThat(e.path("costMicrodollars").asLong()).isEqualTo(180_309L));
        assertExactOpenAiEvents(withAgent, events.stream().filter(e -> !cut.contains(e)).toList(), exact);
    }

    /**
     * A program that sets a streaming mode and asks for the response without ever opening the output stream:
     * the JDK opens its own stream then, and must get it (the agent holds nothing for it). With a fixed length
     * the JDK fails the request (no bytes written), chunked it sends an empty body (the provider answers 400);
     * the program gets exactly that, as without the agent, and no line is written.
     */
    @Test
    void aStreamingRequestWhoseBodyIsNeverWrittenReachesTheProgramAsWithoutTheAgent() {
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways().subList(1, 3)) {
            for (String read : List.of("whole", "streamed")) {
                Call call = chat(Scenario.OK, new FakeUsage(4601 + n++, 0, 46, 0), "gpt-4o", "off", way, read, "write=none");
                calls.add(new Call(call.args(), way.mode().equals("fixed") ? 0 : 400, null, null));
            }
        }

        ForkedJvm.Result withAgent = program(true, calls).run();
        ForkedJvm.Result withoutAgent = program(false, calls).run();

        assertResults(withAgent, calls);
        assertSameResultsWithoutTheAgent(withAgent, withoutAgent);
        assertThat(results(withAgent)).extracting(r -> r.path("error").asText())
                .containsExactly("java.io.IOException", "java.io.IOException", "", "");
        assertThat(withAgent.ledger()).as(withAgent.describe()).isEmpty();
    }

    /**
     * The JDK's connection classes loaded, and a connection made, before the agent's premain (another agent's
     * premain does it, first through {@code JAVA_TOOL_OPTIONS}): the agent retransforms them when its
     * instrumentation is ready, and the program's calls through each way of sending are costed exactly.
     */
    @Test
    void connectionClassesLoadedBeforeTheAgentAreRetransformedAndTracked() throws IOException {
        Path early = workDir.resolve("early-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EarlyConnection.class.getName());
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(early), manifest)) {
            jar.flush();
        }
        List<Call> calls = new ArrayList<>();
        int n = 0;
        for (Way way : ways()) {
            calls.add(chat(Scenario.OK, new FakeUsage(4401 + n, 0, 44 + n, 0), "gpt-4o", "usage", way, "streamed"));
            n++;
        }
        int before = server.requestCount("/data/7");

        ForkedJvm.Result run = program(true, calls).systemProperty("nullspend.log.level", "debug")
                .env("JAVA_TOOL_OPTIONS", "-javaagent:" + early + "=" + server.dataUrl(7)).run();

        assertResults(run, calls);
        assertThat(server.requestCount("/data/7") - before).as("the early agent's GET").isEqualTo(1);
        assertThat(run.agentLines()).as(run.describe())
                .contains(ForkedJvm.AGENT_LOG_PREFIX + "DEBUG instrumented sun.net.www.protocol.http.HttpURLConnection (retransformed)");
        assertExactOpenAiEvents(run, calls.stream().map(Call::event).toList());
    }

    /** The premain of the agent that comes before NullSpend's: one GET through {@code HttpURLConnection}. */
    public static final class EarlyConnection {
        private EarlyConnection() {
        }

        public static void premain(String url) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try (InputStream in = connection.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    /**
     * Terminates TLS on 127.0.0.1 with a self-signed certificate (made with {@code keytool}, for IP
     * 127.0.0.1) and passes the bytes on to the fake provider, so a program can reach it over https.
     */
    private static final class TlsForwarder implements AutoCloseable {
        private final ServerSocket socket;
        private final Path store;
        private final int target;
        private final List<Socket> open = new ArrayList<>();

        private TlsForwarder(ServerSocket socket, Path store, int target) {
            this.socket = socket;
            this.store = store;
            this.target = target;
        }

        static TlsForwarder start(Path dir, int target) throws Exception {
            Path store = dir.resolve("tls.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "fake-provider", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(keytool.exitValue()).as("keytool").isZero();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, STORE_PASSWORD);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(managers.getKeyManagers(), null, null);
            ServerSocket socket = tls.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
            TlsForwarder forwarder = new TlsForwarder(socket, store, target);
            daemon(forwarder::acceptAll);
            return forwarder;
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The call's arguments with its URL on this forwarder, over https. */
        List<String> https(List<String> args) {
            String plain = "url=http://127.0.0.1:" + target + "/";
            return args.stream().map(a -> a.startsWith(plain)
                    ? "url=https://127.0.0.1:" + port() + "/" + a.substring(plain.length()) : a).toList();
        }

        /** The program, trusting this forwarder's certificate. */
        ForkedJvm.Builder trusted(ForkedJvm.Builder program) {
            return program.systemProperty("javax.net.ssl.trustStore", store.toString())
                    .systemProperty("javax.net.ssl.trustStorePassword", "changeit")
                    .systemProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }

        private void acceptAll() {
            try {
                while (true) {
                    Socket client = socket.accept();
                    Socket upstream = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), target);
                    upstream.setTcpNoDelay(true);
                    synchronized (open) {
                        open.add(client);
                        open.add(upstream);
                    }
                    daemon(() -> pipe(client, upstream));
                    daemon(() -> pipe(upstream, client));
                }
            } catch (IOException closed) {
                // the forwarder is closed
            }
        }

        private static void pipe(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void daemon(Runnable task) {
            Thread t = new Thread(task, "tls-forwarder");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (open) {
                open.forEach(TlsForwarder::closeQuietly);
            }
        }
    }
}
