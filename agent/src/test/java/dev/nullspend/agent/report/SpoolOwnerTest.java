package dev.nullspend.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpoolOwnerTest {
    private static final String KEY = "ns_test_sk_5eed0000000000000000000000c0ffee";

    @Test
    void theFolderIsTheTruncatedSha256OfKeyAndNormalizedUrl() {
        // printf 'nullspend-spool-owner-v1\n%s\n%s' KEY https://nullspend.dev | sha256sum | cut -c1-32
        assertThat(SpoolOwner.of(KEY, "https://nullspend.dev").dirName()).isEqualTo("owner-f552f7c8ef110424c99436306f0213a6");
    }

    @Test
    void spellingsOfOneEndpointShareAnOwner() {
        SpoolOwner owner = SpoolOwner.of(KEY, "https://api.example.com/v1");
        for (String url : new String[] {"HTTPS://API.Example.com/v1", "https://api.example.com:443/v1",
                "https://api.example.com/v1/", "https://user:pw@api.example.com/v1"}) {
            assertThat(SpoolOwner.of(KEY, url)).as(url).isEqualTo(owner);
        }
        assertThat(SpoolOwner.normalizedUrl("HTTP://u:p@Host:80/Path/")).isEqualTo("http://host/Path");
        assertThat(SpoolOwner.normalizedUrl("http://host:8080")).isEqualTo("http://host:8080");
    }

    @Test
    void anotherKeyOrAnotherEndpointIsAnotherOwner() {
        SpoolOwner owner = SpoolOwner.of(KEY, "https://api.example.com");
        assertThat(SpoolOwner.of(KEY.replace('5', '6'), "https://api.example.com")).isNotEqualTo(owner);
        assertThat(SpoolOwner.of(KEY, "http://api.example.com")).isNotEqualTo(owner);
        assertThat(SpoolOwner.of(KEY, "https://api.example.com:8443")).isNotEqualTo(owner);
        assertThat(SpoolOwner.of(KEY, "https://api.example.com/eu")).isNotEqualTo(owner);
        assertThat(SpoolOwner.of(KEY, "https://other.example.com")).isNotEqualTo(owner);
    }

    @Test
    void ownerFoldersAreRecognised() {
        assertThat(SpoolOwner.isOwnerDir(SpoolOwner.of(KEY, "https://nullspend.dev").dirName())).isTrue();
        assertThat(SpoolOwner.isOwnerDir("owner-0123")).isFalse();
        assertThat(SpoolOwner.isOwnerDir("owner-" + "G".repeat(32))).isFalse();
        assertThat(SpoolOwner.isOwnerDir("run-20260412T100000Z-1-abcd.lock")).isFalse();
    }
}
