package dev.nullspend.agent.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/nullspend-api-contract.md#loop-detection-fixtures hash fixtures. */
class ContentHashTest {

    private static String hash(String s) {
        return ContentHash.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fixtures() {
        assertThat(hash("hello")).isEqualTo("2cf24dba");
        assertThat(hash("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .isEqualTo("2c8329de");
        assertThat(ContentHash.of(new byte[0])).isEqualTo("empty");
    }

    @Test
    void onlyTheFirst8192BytesCount() {
        byte[] a = new byte[10_000];
        Arrays.fill(a, (byte) 'x');
        byte[] b = a.clone();
        b[8192] = 'y';
        byte[] c = a.clone();
        c[8191] = 'y';
        assertThat(ContentHash.of(a)).isEqualTo(ContentHash.of(b)).hasSize(8).matches("[0-9a-f]{8}");
        assertThat(ContentHash.of(c)).isNotEqualTo(ContentHash.of(a));
    }
}
