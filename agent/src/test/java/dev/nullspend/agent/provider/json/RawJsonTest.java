package dev.nullspend.agent.provider.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawJsonTest {

    private static boolean otherThan(String json, String key, String literal) {
        byte[] b = ("##" + json + "##").getBytes(StandardCharsets.UTF_8);
        return RawJson.hasFieldOtherThan(b, 2, b.length - 4, RawJson.quoted(key), literal);
    }

    @Test
    void fieldWithAnotherValue() {
        assertThat(otherThan("{\"usage\":null}", "usage", "null")).isFalse();
        assertThat(otherThan("{\"usage\" : null,\"x\":{\"usage\":\tnull}}", "usage", "null")).isFalse();
        assertThat(otherThan("{\"usage\":{\"a\":1}}", "usage", "null")).isTrue();
        assertThat(otherThan("{\"usage\":null,\"x_groq\":{\"usage\":{}}}", "usage", "null")).isTrue();
        assertThat(otherThan("{\"text\":\"\\\"usage\\\":{}\"}", "usage", "null")).isFalse();
        assertThat(otherThan("{\"usage\":nul", "usage", "null")).isTrue();
        assertThat(otherThan("{\"usage\"", "usage", "null")).isFalse();
        assertThat(otherThan("{\"done\":false}", "done", "false")).isFalse();
        assertThat(otherThan("{\"done\":true}", "done", "false")).isTrue();
        assertThat(otherThan("", "done", "false")).isFalse();
    }

    /** The scan is anchored on the key's first letter, eight bytes at a time: keys at the slice's edges, and near misses. */
    @Test
    void fieldAtTheEdgesAndAmongNearMisses() {
        assertThat(otherThan("\"usage\":1", "usage", "null")).isTrue();
        assertThat(otherThan("\"usage\":null", "usage", "null")).isFalse();
        assertThat(otherThan("{\"u\":\"u\",\"uu\":\"usag\",\"usages\":1,\"usage\":{}}", "usage", "null")).isTrue();
        assertThat(otherThan("{\"id\":\"chatcmpl-usage-unused\",\"u\":\"usage\",\"usage\":null}", "usage", "null")).isFalse();
        assertThat(otherThan("{\"x\":\"usage\",\"usage\":null,\"y\":\"usage\"}", "usage", "null")).isFalse();
        assertThat(otherThan("{\"x\":[\"usage\",{\"usage\":{\"prompt_tokens\":3}}]}", "usage", "null")).isTrue();
    }

    @Test
    void contains() {
        byte[] b = "ab\"message_delta\"cd".getBytes(StandardCharsets.UTF_8);
        assertThat(RawJson.contains(b, 0, b.length, RawJson.quoted("message_delta"))).isTrue();
        assertThat(RawJson.contains(b, 3, b.length - 3, RawJson.quoted("message_delta"))).isFalse();
        assertThat(RawJson.contains(b, 0, 4, RawJson.quoted("message_delta"))).isFalse();
    }
}
