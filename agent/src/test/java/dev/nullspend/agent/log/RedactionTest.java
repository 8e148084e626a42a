package dev.nullspend.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final String KEY = "ns_live_sk_0123456789abcdef0123456789abcdef";

    @AfterEach
    void reset() {
        Redaction.clearSecrets();
        AgentLog.setOutput(System.err);
        AgentLog.setLevel(AgentLog.Level.INFO);
    }

    @Test
    void aUrlPasswordIsMaskedAndTheRestKept() {
        assertThat(Redaction.url("https://user:s3cret@api.example.com:8443/v1?x=1"))
                .isEqualTo("https://user:****@api.example.com:8443/v1?x=1");
        assertThat(Redaction.url("http://:pw@127.0.0.1:9")).isEqualTo("http://:****@127.0.0.1:9");
        assertThat(Redaction.url("https://u:p@ss:w@rd@host")).as("the last @ ends the user-info")
                .isEqualTo("https://u:****@host");
        assertThat(Redaction.url("https://u:a,b;c(d)'e@[::1]:80/")).isEqualTo("https://u:****@[::1]:80/");
    }

    @Test
    void urlsWithoutPasswordsAreUnchanged() {
        for (String url : new String[] {"https://nullspend.dev", "http://127.0.0.1:8080/api", "https://user@host/p",
                "http://user:@host", "http://[::1]:8080/a@b", "https://host:443/path/with:colon@at", "not a url", ""}) {
            assertThat(Redaction.url(url)).as(url).isSameAs(url);
        }
        assertThat(Redaction.url(null)).isNull();
    }

    @Test
    void everyUrlInAFreeTextIsMasked() {
        assertThat(Redaction.text("from \"http://a:one@h1/x\" to https://b:two@h2, then http://h3:80/p@q"))
                .isEqualTo("from \"http://a:****@h1/x\" to https://b:****@h2, then http://h3:80/p@q");
    }

    @Test
    void aRegisteredSecretNeverAppearsInText() {
        Redaction.secret(KEY);
        Redaction.secret("abc"); // too short to mask in free text

        assertThat(Redaction.text("invalid header value: \"" + KEY + "\" (abc)"))
                .isEqualTo("invalid header value: \"****\" (abc)");
    }

    @Test
    void theLogMasksMessagesExceptionsAndTheirStackTraces() throws IOException {
        Redaction.secret(KEY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        AgentLog.setLevel(AgentLog.Level.DEBUG);

        AgentLog.warn("cannot reach https://me:pw1@api.example.com", new IllegalArgumentException(
                "invalid header value for x-nullspend-key: " + KEY, new IOException("GET http://me:pw2@h/x failed")));

        String log = bytes.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("pw1", "pw2", KEY).startsWith("[nullspend] WARN cannot reach "
                + "https://me:****@api.example.com: java.lang.IllegalArgumentException: invalid header value for "
                + "x-nullspend-key: ****\n" + "java.lang.IllegalArgumentException: invalid header value for x-nullspend-key: ****\n\tat ");
        assertThat(log).contains("\nCaused by: java.io.IOException: GET http://me:****@h/x failed\n\tat ");
    }
}
