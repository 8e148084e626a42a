package dev.nullspend.agent.provider;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nullspend.agent.config.ConfigKeys;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderHostsTest {

    private static Vendor builtIn(String url) {
        return ProviderHosts.BUILT_IN.vendorOf(post(url, null), Vendor.OPENAI);
    }

    @Test
    void vendorsPublicHosts() {
        assertThat(builtIn("https://api.openai.com/v1/chat/completions")).isEqualTo(Vendor.OPENAI);
        assertThat(builtIn("https://API.OpenAI.com/v1/chat/completions")).isEqualTo(Vendor.OPENAI);
        assertThat(builtIn("https://api.anthropic.com/v1/messages")).isEqualTo(Vendor.ANTHROPIC);
        assertThat(builtIn("https://generativelanguage.googleapis.com/v1beta/models/m:generateContent")).isEqualTo(Vendor.GOOGLE);
        assertThat(builtIn("https://us-central1-aiplatform.googleapis.com/v1/projects/p")).isEqualTo(Vendor.GOOGLE);
        assertThat(builtIn("https://aiplatform.googleapis.com/v1/projects/p")).isEqualTo(Vendor.GOOGLE);
        assertThat(builtIn("https://my-res.openai.azure.com/openai/v1/chat/completions")).isEqualTo(Vendor.AZURE);
        assertThat(builtIn("https://my-res.cognitiveservices.azure.com/openai/deployments/d/chat/completions"))
                .isEqualTo(Vendor.AZURE);
        assertThat(builtIn("https://api.mistral.ai/v1/chat/completions")).isEqualTo(Vendor.MISTRAL);
        assertThat(builtIn("https://api.groq.com/openai/v1/chat/completions")).isEqualTo(Vendor.GROQ);
        assertThat(builtIn("https://api.deepseek.com/chat/completions")).isEqualTo(Vendor.DEEPSEEK);
        assertThat(builtIn("https://openrouter.ai/api/v1/chat/completions")).isEqualTo(Vendor.OPENROUTER);
        assertThat(builtIn("http://localhost:11434/api/chat")).isEqualTo(Vendor.OLLAMA);
        assertThat(builtIn("http://gpu-box.lan:11434/v1/chat/completions")).isEqualTo(Vendor.OLLAMA);
        assertThat(builtIn("https://ollama.com/api/chat")).isEqualTo(Vendor.OLLAMA);
    }

    @Test
    void otherHostsAreNoVendors() {
        assertThat(builtIn("http://localhost:8080/v1/chat/completions")).isNull();
        assertThat(builtIn("https://api.openai.com.evil.example/v1/chat/completions")).isNull();
        assertThat(builtIn("https://openai.azure.com.example/x")).isNull();
        assertThat(builtIn("https://xopenrouter.ai/api/v1/chat/completions")).isNull();
        assertThat(builtIn("https://example.com/x")).isNull();
    }

    @Test
    void extraHostsWithAndWithoutPort() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of(
                "openai", List.of("llm.internal.corp"),
                "anthropic", List.of("claude-gw.corp:8443"),
                "ollama", List.of("[::1]:8080")));
        assertThat(hosts.vendorOf(post("https://llm.internal.corp/v1/chat/completions", null), Vendor.ANTHROPIC))
                .isEqualTo(Vendor.OPENAI);
        assertThat(hosts.vendorOf(post("http://llm.internal.corp:9000/x", null), Vendor.OPENAI)).isEqualTo(Vendor.OPENAI);
        assertThat(hosts.vendorOf(post("https://claude-gw.corp:8443/v1/messages", null), Vendor.ANTHROPIC))
                .isEqualTo(Vendor.ANTHROPIC);
        assertThat(hosts.vendorOf(post("https://claude-gw.corp/v1/messages", null), Vendor.ANTHROPIC)).isNull();
        assertThat(hosts.vendorOf(post("http://[::1]:8080/api/chat", null), Vendor.OLLAMA)).isEqualTo(Vendor.OLLAMA);
        assertThat(hosts.vendorOf(post("https://api.anthropic.com/v1/messages", null), Vendor.ANTHROPIC))
                .isEqualTo(Vendor.ANTHROPIC);
    }

    @Test
    void defaultPortsOfTheSchemeMatchAnExplicitPort() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of("openai", List.of("gw.corp:443", "plain.corp:80")));
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/chat/completions", null), Vendor.OPENAI)).isEqualTo(Vendor.OPENAI);
        assertThat(hosts.vendorOf(post("http://gw.corp/v1/chat/completions", null), Vendor.OPENAI)).isNull();
        assertThat(hosts.vendorOf(post("http://plain.corp/v1/chat/completions", null), Vendor.OPENAI)).isEqualTo(Vendor.OPENAI);
    }

    @Test
    void aHostServingSeveralVendorsAnswersTheAskingApisVendor() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of(
                "openai", List.of("gw.corp"), "anthropic", List.of("gw.corp")));
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/messages", null), Vendor.ANTHROPIC)).isEqualTo(Vendor.ANTHROPIC);
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/chat/completions", null), Vendor.OPENAI)).isEqualTo(Vendor.OPENAI);
        assertThat(hosts.vendorOf(post("https://gw.corp/v1beta/models/m:generateContent", null), Vendor.GOOGLE))
                .isIn(Vendor.OPENAI, Vendor.ANTHROPIC);
    }

    @Test
    void extraHostsWinOverBuiltInOnes() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of("openai", List.of("localhost:11434")));
        assertThat(hosts.vendorOf(post("http://localhost:11434/v1/chat/completions", null), Vendor.OPENAI))
                .isEqualTo(Vendor.OPENAI);
    }

    @Test
    void unknownVendorNamesAreRejected() {
        assertThatThrownBy(() -> ProviderHosts.withExtraHosts(Map.of("bedrock", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bedrock");
        assertThat(ProviderHosts.withExtraHosts(Map.of())).isSameAs(ProviderHosts.BUILT_IN);
    }

    @Test
    void configurationAcceptsExactlyTheVendorNames() {
        assertThat(ConfigKeys.EXTRA_HOST_VENDORS)
                .containsExactlyElementsOf(Arrays.stream(Vendor.values()).map(Vendor::configName).toList());
        for (String name : ConfigKeys.EXTRA_HOST_VENDORS) {
            assertThat(Vendor.byConfigName(name)).isNotNull();
        }
        assertThat(Vendor.byConfigName("azure").providerId()).isEqualTo("openai");
    }
}
