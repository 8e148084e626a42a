package dev.nullspend.agent.unseen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.ProviderHosts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmConnectionsTest {

    private static final String SOCKET = "sun.nio.ch.NioSocketImpl";
    private static final String CHANNEL = "sun.nio.ch.SocketChannelImpl";
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void arm() {
        UnseenTraffic.reset();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        LlmConnections.arm(ProviderHosts.withExtraHosts(Map.of("openai", List.of("llm.corp:8443", "[::1]"))));
        ClientStacks.install(ClientStacks.of(Map.of(), Map.of()));
    }

    @AfterEach
    void disarm() {
        LlmConnections.arm(null);
        ClientStacks.install(ClientStacks.of(Map.of(), Map.of()));
        AgentLog.setOutput(System.err);
        UnseenTraffic.reset();
    }

    @Test
    void connectionsToLlmHostsFromAnUncoveredStackAreSaidOnceAndCounted() throws Exception {
        LlmConnections.connected(InetSocketAddress.createUnresolved("API.OpenAI.com", 443), CHANNEL);
        LlmConnections.connected(InetSocketAddress.createUnresolved("api.openai.com", 443), SOCKET);
        LlmConnections.connected(InetSocketAddress.createUnresolved("llm.corp", 8443), SOCKET);
        // An IPv6 address without a name: its host string is the JDK's full form, not the configured [::1].
        LlmConnections.connected(new InetSocketAddress(InetAddress.getByName("::1"), 9000), SOCKET);

        assertThat(UnseenTraffic.summaryLines()).containsExactly(
                "not costed: 2 connections to api.openai.com from org.junit (not instrumented)",
                "not costed: 1 connection to [0:0:0:0:0:0:0:1] from org.junit (not instrumented)",
                "not costed: 1 connection to llm.corp from org.junit (not instrumented)");
        assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("[nullspend] WARN LLM traffic not costed: a connection"
                + " to api.openai.com from org.junit (java.nio.channels.SocketChannel), which the agent does not instrument:");
    }

    @Test
    void otherHostsPortsAndAddressesAreLeftAlone() throws Exception {
        LlmConnections.connected(InetSocketAddress.createUnresolved("llm.corp", 443), SOCKET); // another port
        LlmConnections.connected(InetSocketAddress.createUnresolved("example.com", 443), SOCKET);
        LlmConnections.connected(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443), SOCKET);
        LlmConnections.connected(null, SOCKET);

        assertThat(UnseenTraffic.total()).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aCoveredStackIsSilentAndOneTurnedOffIsNamedWithItsSetting() {
        ClientStacks.install(ClientStacks.of(Map.of("junit-client", List.of("org.junit")), Map.of()));
        LlmConnections.connected(InetSocketAddress.createUnresolved("api.anthropic.com", 443), SOCKET);
        assertThat(UnseenTraffic.total()).isZero();

        ClientStacks.install(ClientStacks.of(Map.of(), Map.of("junit-client", List.of("org.junit"))));
        LlmConnections.connected(InetSocketAddress.createUnresolved("api.anthropic.com", 443), SOCKET);
        assertThat(UnseenTraffic.summaryLines()).containsExactly(
                "not costed: 1 connection to api.anthropic.com from org.junit (instrumentation junit-client turned off)");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("(java.net.Socket), whose instrumentation is turned off"
                + " (nullspend.instrumentation.junit-client.enabled=false)");
    }

    @Test
    void aConnectionToAnyOtherHostAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        InetSocketAddress named = new InetSocketAddress("localhost", 8080); // a name, as most programs connect
        InetSocketAddress ollamaLike = InetSocketAddress.createUnresolved("db.internal", 5432);
        for (int i = 0; i < 100; i++) { // the look-up's classes loaded, hash codes cached, the counter's own first call
            LlmConnections.connected(named, SOCKET);
            LlmConnections.connected(ollamaLike, CHANNEL);
            threads.getCurrentThreadAllocatedBytes();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            LlmConnections.connected(named, SOCKET);
            LlmConnections.connected(ollamaLike, CHANNEL);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // Whole bytes per connection: 0 (a few hundred bytes in all can come from the JIT swapping code under the loop).
        assertThat(allocated / 20_000).as("bytes per connection, %d bytes in all", allocated).isZero();
        assertThat(UnseenTraffic.total()).isZero();
    }

    @Test
    void anUnarmedWatchLooksAtNothing() {
        LlmConnections.arm(null);
        LlmConnections.connected(InetSocketAddress.createUnresolved("api.openai.com", 443), SOCKET);
        assertThat(UnseenTraffic.total()).isZero();
    }
}
