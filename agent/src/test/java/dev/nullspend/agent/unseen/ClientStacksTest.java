package dev.nullspend.agent.unseen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientStacksTest {

    private static final ClientStacks STACKS = ClientStacks.of(
            Map.of("java-http-client", List.of("jdk.internal.net.http"), "apache-httpclient-5", List.of("org.apache.hc")),
            Map.of("okhttp", List.of("okhttp3")));

    private static ClientStacks.Stack classify(String... innermostFirst) {
        return STACKS.classify(List.of(innermostFirst).iterator());
    }

    @Test
    void aCoveredFrameAnywhereBelowTheConnectMakesTheStackInstrumented() {
        ClientStacks.Stack jdk = classify("dev.nullspend.agent.unseen.LlmConnections", "sun.nio.ch.SocketChannelImpl",
                "jdk.internal.net.http.PlainHttpConnection", "java.util.concurrent.CompletableFuture");
        assertThat(jdk).isEqualTo(new ClientStacks.Stack("jdk.internal.net.http", "java-http-client", true));
        assertThat(jdk.instrumented()).isTrue();
        // A program's socket factory under an instrumented client: the client's frames below decide.
        assertThat(classify("sun.nio.ch.NioSocketImpl", "java.net.Socket", "com.example.MySocketFactory",
                "org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator", "com.example.App").instrumented())
                .isTrue();
    }

    @Test
    void aCoveredFrameOfAnInstrumentationTurnedOffNamesItsPackageAndModule() {
        ClientStacks.Stack stack = classify("sun.nio.ch.NioSocketImpl", "java.net.SocksSocketImpl", "java.net.Socket",
                "okhttp3.internal.connection.RealConnection", "okhttp3.internal.connection.RealCall", "com.example.App");
        assertThat(stack).isEqualTo(new ClientStacks.Stack("okhttp3", "okhttp", false));
        assertThat(stack.instrumented()).isFalse();
    }

    @Test
    void anUncoveredStackIsNamedByItsFirstFrameOutsideTheJdkAndTheAgent() {
        assertThat(classify("dev.nullspend.agent.unseen.LlmConnections", "sun.nio.ch.SocketChannelImpl",
                "io.netty.util.internal.SocketUtils$3", "java.security.AccessController",
                "io.netty.util.internal.SocketUtils", "reactor.netty.resources.PooledConnectionProvider", "com.example.App"))
                .isEqualTo(new ClientStacks.Stack("io.netty", null, false));
        assertThat(classify("sun.nio.ch.NioSocketImpl", "java.net.Socket", "com.example.MyRawSocketClient$Pool",
                "dev.nullspend.it.apps.UnseenTrafficApp"))
                .isEqualTo(new ClientStacks.Stack("com.example.MyRawSocketClient", null, false));
    }

    @Test
    void theJdksUrlConnectionIsNamedAsSuchAndBareJdkPlumbingAsTheJdk() {
        assertThat(classify("sun.nio.ch.NioSocketImpl", "java.net.Socket", "sun.net.NetworkClient",
                "sun.net.www.http.HttpClient", "sun.net.www.protocol.http.HttpURLConnection", "com.example.App").library())
                .isEqualTo("java.net.HttpURLConnection");
        assertThat(classify("sun.nio.ch.NioSocketImpl", "java.lang.Thread"))
                .isEqualTo(new ClientStacks.Stack("the JDK", null, false));
    }

    @ParameterizedTest
    @CsvSource({"io.netty.channel.socket.nio.NioSocketChannel, io.netty",
            "reactor.netty.http.client.HttpClientConnect, reactor.netty",
            "com.example.MyRawSocketClient, com.example.MyRawSocketClient",
            "com.example.MyRawSocketClient$1, com.example.MyRawSocketClient",
            "example.Client, example.Client",
            "Main$Inner, Main"})
    void familyIsTwoPackageSegmentsOrTheClassInAShortPackage(String className, String family) {
        assertThat(ClientStacks.family(className)).isEqualTo(family);
    }

    @Test
    void theCurrentThreadsStackIsWalked() {
        // This test runs under JUnit: its own class is skipped as the agent's, the first other frame is JUnit's.
        assertThat(STACKS.ofCurrentThread()).isEqualTo(new ClientStacks.Stack("org.junit", null, false));
        ClientStacks junitCovered = ClientStacks.of(Map.of("junit", List.of("org.junit")), Map.of());
        assertThat(junitCovered.ofCurrentThread()).isEqualTo(new ClientStacks.Stack("org.junit", "junit", true));
    }
}
