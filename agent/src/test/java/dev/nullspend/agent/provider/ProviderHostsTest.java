package dev.nullspend.agent.provider;

import dev.nullspend.agent.provider.openai.OpenAiFamily;
import dev.nullspend.agent.provider.anthropic.AnthropicFamily;
import dev.nullspend.agent.provider.google.GoogleFamily;
import dev.nullspend.agent.provider.ollama.OllamaFamily;
import static dev.nullspend.agent.provider.TestExchanges.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class ProviderHostsTest {

    private static Vendor builtIn(String url) {
        return ProviderHosts.BUILT_IN.vendorOf(post(url, null), OpenAiFamily.OPENAI);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/recognition/vendor-hosts.csv", delimiter = '|', numLinesToSkip = 1)
    void vendorsPublicHostsAndNoOther(String url, String vendor) {
        Vendor found = builtIn(url);
        assertThat(found == null ? null : found.configName()).as(url).isEqualTo(vendor);
    }

    @Test
    void extraHostsWithAndWithoutPort() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of(
                "openai", List.of("llm.internal.corp"),
                "anthropic", List.of("claude-gw.corp:8443"),
                "ollama", List.of("[::1]:8080")));
        assertThat(hosts.vendorOf(post("https://llm.internal.corp/v1/chat/completions", null), AnthropicFamily.ANTHROPIC))
                .isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf(post("http://llm.internal.corp:9000/x", null), OpenAiFamily.OPENAI)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf(post("https://claude-gw.corp:8443/v1/messages", null), AnthropicFamily.ANTHROPIC))
                .isEqualTo(AnthropicFamily.ANTHROPIC);
        assertThat(hosts.vendorOf(post("https://claude-gw.corp/v1/messages", null), AnthropicFamily.ANTHROPIC)).isNull();
        assertThat(hosts.vendorOf(post("http://[::1]:8080/api/chat", null), OllamaFamily.OLLAMA)).isEqualTo(OllamaFamily.OLLAMA);
        assertThat(hosts.vendorOf(post("https://api.anthropic.com/v1/messages", null), AnthropicFamily.ANTHROPIC))
                .isEqualTo(AnthropicFamily.ANTHROPIC);
    }

    @Test
    void aHostAndPortAreLookedUpAsARequestsAre() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of(
                "openai", List.of("gw.corp", "127.0.0.1:8443"), "anthropic", List.of("gw.corp:9000", "[::1]:8080")));
        assertThat(hosts.vendorOf("gw.corp", 443, null)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf("gw.corp", 9000, null)).isEqualTo(AnthropicFamily.ANTHROPIC); // the port's own entry first
        assertThat(hosts.vendorOf("127.0.0.1", 8443, null)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf("127.0.0.1", 8080, null)).isNull();
        assertThat(hosts.vendorOf("[::1]", 8080, null)).isEqualTo(AnthropicFamily.ANTHROPIC);
        assertThat(hosts.vendorOf("[0:0:0:0:0:0:0:1]", 8080, null)).isEqualTo(AnthropicFamily.ANTHROPIC);
        assertThat(hosts.vendorOf("[::1]", 8081, null)).isNull();
        assertThat(hosts.vendorOf("api.openai.com", 443, null)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf("res.openai.azure.com", 443, null)).isEqualTo(OpenAiFamily.AZURE);
        assertThat(hosts.vendorOf("gpu-box.lan", 11434, null)).isEqualTo(OllamaFamily.OLLAMA);
        assertThat(hosts.vendorOf("localhost", 8080, null)).isNull();
    }

    @Test
    void defaultPortsOfTheSchemeMatchAnExplicitPort() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of("openai", List.of("gw.corp:443", "plain.corp:80")));
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/chat/completions", null), OpenAiFamily.OPENAI)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf(post("http://gw.corp/v1/chat/completions", null), OpenAiFamily.OPENAI)).isNull();
        assertThat(hosts.vendorOf(post("http://plain.corp/v1/chat/completions", null), OpenAiFamily.OPENAI)).isEqualTo(OpenAiFamily.OPENAI);
    }

    @Test
    void aHostServingSeveralVendorsAnswersTheAskingApisVendor() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of(
                "openai", List.of("gw.corp"), "anthropic", List.of("gw.corp")));
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/messages", null), AnthropicFamily.ANTHROPIC)).isEqualTo(AnthropicFamily.ANTHROPIC);
        assertThat(hosts.vendorOf(post("https://gw.corp/v1/chat/completions", null), OpenAiFamily.OPENAI)).isEqualTo(OpenAiFamily.OPENAI);
        assertThat(hosts.vendorOf(post("https://gw.corp/v1beta/models/m:generateContent", null), GoogleFamily.GOOGLE))
                .isIn(OpenAiFamily.OPENAI, AnthropicFamily.ANTHROPIC);
    }

    @Test
    void extraHostsWinOverBuiltInOnes() {
        ProviderHosts hosts = ProviderHosts.withExtraHosts(Map.of("openai", List.of("localhost:11434")));
        assertThat(hosts.vendorOf(post("http://localhost:11434/v1/chat/completions", null), OpenAiFamily.OPENAI))
                .isEqualTo(OpenAiFamily.OPENAI);
    }

    @Test
    void unknownVendorNamesAreRejected() {
        assertThatThrownBy(() -> ProviderHosts.withExtraHosts(Map.of("vertex", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertex");
        assertThat(ProviderHosts.withExtraHosts(Map.of())).isSameAs(ProviderHosts.BUILT_IN);
    }

    @Test
    void theFamiliesDeclareTheVendorNamesInOrder() {
        assertThat(ProviderFamilies.vendorNames()).containsExactly("openai", "azure", "anthropic", "google",
                "mistral_ai", "groq", "deepseek", "openrouter", "ollama", "bedrock");
        for (String name : ProviderFamilies.vendorNames()) {
            assertThat(ProviderFamilies.byConfigName(name).configName()).isEqualTo(name);
        }
        assertThat(ProviderFamilies.byConfigName("azure").providerId()).isEqualTo("openai");
        assertThat(ProviderFamilies.byConfigName("vertex")).isNull();
        // Bedrock declares no host: its runtime hosts are a pattern its APIs check, never another API's host.
        assertThat(ProviderFamilies.byConfigName("bedrock").hosts()).isEmpty();
        assertThat(ProviderHosts.BUILT_IN.vendorOf(post("https://bedrock-runtime.us-east-1.amazonaws.com/v1/chat/completions",
                null), OpenAiFamily.OPENAI)).isNull();
        assertThat(ProviderFamilies.defaultOutputTokens("anthropic")).isEqualTo(64_000L);
        assertThat(ProviderFamilies.defaultOutputTokens("google")).isEqualTo(65_536L);
        assertThat(ProviderFamilies.defaultOutputTokens("openai")).isNull();
    }
}
