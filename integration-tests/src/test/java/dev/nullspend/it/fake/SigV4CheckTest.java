package dev.nullspend.it.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fake Bedrock's signature check against AWS's published SigV4 test suite ({@code get-vanilla},
 * {@code post-vanilla}: secret {@code wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY}, 2015-08-30T12:36:00Z,
 * us-east-1, service {@code service}), and what a changed request does to it.
 */
class SigV4CheckTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static Headers headers(String signature) {
        Headers h = new Headers();
        h.add("Host", "example.amazonaws.com");
        h.add("X-Amz-Date", "20150830T123600Z");
        h.add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + signature);
        return h;
    }

    @Test
    void awsTestVectorsAreValid() {
        assertThat(SigV4Check.valid(SECRET, "GET", "/", null,
                headers("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), new byte[0])).isTrue();
        assertThat(SigV4Check.valid(SECRET, "POST", "/", null,
                headers("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"), new byte[0])).isTrue();
    }

    @Test
    void aChangedBodyMethodHeaderOrSecretIsInvalid() {
        String post = "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";
        assertThat(SigV4Check.valid(SECRET, "POST", "/", null, headers(post), "x".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(SigV4Check.valid(SECRET, "PUT", "/", null, headers(post), new byte[0])).isFalse();
        assertThat(SigV4Check.valid("other", "POST", "/", null, headers(post), new byte[0])).isFalse();
        Headers changed = headers(post);
        changed.set("X-Amz-Date", "20150830T123601Z");
        assertThat(SigV4Check.valid(SECRET, "POST", "/", null, changed, new byte[0])).isFalse();
        Headers unsigned = headers(post);
        unsigned.add("x-nullspend-key", "added by a proxy-mode agent: not a signed header");
        assertThat(SigV4Check.valid(SECRET, "POST", "/", null, unsigned, new byte[0])).isTrue();
        Headers none = headers(post);
        none.remove("Authorization");
        assertThat(SigV4Check.valid(SECRET, "POST", "/", null, none, new byte[0])).isFalse();
    }
}
