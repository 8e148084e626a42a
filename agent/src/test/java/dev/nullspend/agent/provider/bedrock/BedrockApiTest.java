package dev.nullspend.agent.provider.bedrock;

import static dev.nullspend.agent.provider.TestExchanges.post;
import static dev.nullspend.agent.provider.TestExchanges.withUntouchableBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.log.AgentLog;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Providers;
import dev.nullspend.agent.provider.TestExchanges;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/providers/bedrock.md#recognition: hosts, paths, model ids from the path, output caps, no rewrite. */
class BedrockApiTest {

    private static final Providers DEFAULTS = Providers.defaults();
    private static final String CONVERSE = "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":700}}";
    private static final String HOST = "https://bedrock-runtime.us-east-1.amazonaws.com";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // path | body | endpoint | model | stream | output cap
            "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse | " + CONVERSE
                    + " | converse | anthropic.claude-sonnet-4-5-20250929-v1:0 | false | 700",
            "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream | " + CONVERSE
                    + " | converse-stream | us.anthropic.claude-haiku-4-5-20251001-v1:0 | true | 700",
            "/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":512,\"messages\":[]}"
                    + " | invoke | global.anthropic.claude-sonnet-4-5-20250929-v1:0 | false | 512",
            "/model/apac.amazon.nova-pro-v1%3A0/invoke-with-response-stream | {\"messages\":[],\"inferenceConfig\":{\"max_new_tokens\":300}}"
                    + " | invoke-with-response-stream | apac.amazon.nova-pro-v1:0 | true | 300",
            "/model/amazon.nova-lite-v1%3A0/invoke | {\"messages\":[],\"inferenceConfig\":{\"maxTokens\":301}} | invoke | amazon.nova-lite-v1:0 | false | 301",
            "/model/meta.llama3-3-70b-instruct-v1%3A0/invoke | {\"prompt\":\"hi\",\"max_gen_len\":256} | invoke | meta.llama3-3-70b-instruct-v1:0 | false | 256",
            "/model/jp.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse | {\"messages\":[]} | converse | jp.anthropic.claude-sonnet-4-5-20250929-v1:0 | false | ",
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse | "
                    + CONVERSE + " | converse | us.anthropic.claude-sonnet-4-5-20250929-v1:0 | false | 700",
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Famazon.nova-micro-v1%3A0/converse | " + CONVERSE
                    + " | converse | amazon.nova-micro-v1:0 | false | 700",
    })
    void recognisesEveryOperationAndTakesTheModelFromThePath(String path, String body, String endpoint, String model,
                                                            boolean stream, Long cap) {
        LlmRequest r = DEFAULTS.recognize(post(HOST + path, body));
        assertThat(r).isNotNull();
        assertThat(r.provider()).isEqualTo("bedrock");
        assertThat(r.endpoint()).isEqualTo(endpoint);
        assertThat(r.model()).isEqualTo(model);
        assertThat(r.stream()).isEqualTo(stream);
        assertThat(r.maxOutputTokens()).isEqualTo(cap);
        // SigV4 signs the body: the request goes as the program wrote it.
        assertThat(r.api().rewriteBody(post(HOST + path, body), r)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://bedrock-runtime.us-east-1.amazonaws.com", "https://bedrock-runtime.eu-central-2.amazonaws.com",
            "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com", "https://BEDROCK-RUNTIME.ap-northeast-1.amazonaws.com:443"})
    void everyRuntimeHostIsBedrocks(String origin) {
        assertThat(DEFAULTS.recognize(post(origin + "/model/amazon.nova-pro-v1%3A0/converse", CONVERSE)).provider())
                .isEqualTo("bedrock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://bedrock.us-east-1.amazonaws.com", "https://bedrock-runtime.amazonaws.com",
            "https://bedrock-runtime.us-east-1.amazonaws.com.evil.example", "https://s3.us-east-1.amazonaws.com",
            "https://x.bedrock-runtime.us-east-1.amazonaws.com", "http://127.0.0.1:8080", "https://gw.corp.example"})
    void otherHostsAreNotBedrockAndTheirBodyIsNeverRead(String origin) {
        assertThat(DEFAULTS.recognize(withUntouchableBody("POST", origin + "/model/amazon.nova-pro-v1%3A0/converse"))).isNull();
    }

    @Test
    void onlyPostsToTheFourOperationsAreCalls() {
        for (String path : List.of("/model/amazon.nova-pro-v1%3A0/converse/x", "/model//converse", "/model/converse",
                "/model/amazon.nova-pro-v1%3A0/count-tokens", "/guardrail/g/version/1/apply", "/async-invoke")) {
            assertThat(DEFAULTS.recognize(withUntouchableBody("POST", HOST + path))).as(path).isNull();
        }
        assertThat(DEFAULTS.recognize(withUntouchableBody("GET", HOST + "/model/amazon.nova-pro-v1%3A0/converse"))).isNull();
    }

    @Test
    void aHostNamedForBedrockInExtraHostsIsBedrocks() {
        Providers providers = Providers.defaults(Map.of("bedrock", List.of("127.0.0.1:4566")));
        LlmRequest r = providers.recognize(post("http://127.0.0.1:4566/model/amazon.nova-pro-v1%3A0/converse-stream", CONVERSE));
        assertThat(r.provider()).isEqualTo("bedrock");
        assertThat(r.stream()).isTrue();
        assertThat(providers.recognize(post("http://127.0.0.1:4567/model/amazon.nova-pro-v1%3A0/converse", CONVERSE))).isNull();
    }

    @Test
    void anApplicationProfileIsTheModelConfigurationMapsItToElseUnpricedWithOneWarning() {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4";
        String encoded = "/model/" + arn.replace(":", "%3A").replace("/", "%2F") + "/converse";
        Providers mapped = Providers.of(Map.of(), List.of(), Map.of("a1b2c3d4", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        assertThat(mapped.recognize(post(HOST + encoded, CONVERSE)).model()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Providers byArn = Providers.of(Map.of(), List.of(), Map.of(arn, "amazon.nova-pro-v1:0"));
        assertThat(byArn.recognize(post(HOST + encoded, CONVERSE)).model()).isEqualTo("amazon.nova-pro-v1:0");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            String other = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/unmapped9";
            for (int i = 0; i < 3; i++) {
                LlmRequest r = mapped.recognize(post(HOST + "/model/" + other.replace(":", "%3A").replace("/", "%2F")
                        + "/converse", CONVERSE));
                assertThat(r.model()).isEqualTo(other);
            }
            assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("unmapped9"))).hasSize(1);
            // The core's own "no price" warning for that model is the same one: not repeated.
            assertThat(AgentLog.warnOnce(Providers.unpricedWarningKey("bedrock", other), "again")).isFalse();
        } finally {
            AgentLog.setOutput(System.err);
        }
    }

    @Test
    void theVendorOfAModelIdChoosesTheInvokeModelParser() {
        assertThat(BedrockPaths.vendor("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("anthropic");
        assertThat(BedrockPaths.vendor("us.amazon.nova-pro-v1:0")).isEqualTo("amazon");
        assertThat(BedrockPaths.vendor("meta.llama3-3-70b-instruct-v1:0")).isEqualTo("meta");
        assertThat(BedrockPaths.vendor("arn:aws:bedrock:us-east-1:1:application-inference-profile/x")).isEmpty();
        assertThat(BedrockPaths.vendor(null)).isEmpty();
    }

    @Test
    void recognitionNeverReadsMoreThanTheRequestAlreadyHolds() {
        Exchange unreadable = TestExchanges.post(HOST + "/model/amazon.nova-pro-v1%3A0/converse", null);
        LlmRequest r = DEFAULTS.recognize(unreadable);
        assertThat(r.model()).isEqualTo("amazon.nova-pro-v1:0");
        assertThat(r.maxOutputTokens()).isNull();
    }
}
