package dev.nullspend.it;

import dev.nullspend.it.fake.FakeBedrockServer;
import dev.nullspend.it.support.EventAssertions.Breakdown;
import dev.nullspend.it.support.EventAssertions.ExpectedEvent;
import dev.nullspend.it.support.ForkedJvm;
import dev.nullspend.it.support.TestEnvironment;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link BedrockIT} (the sync clients) and {@link BedrockAsyncIT} (the async client) share: the program
 * of {@code it-apps/aws-bedrock}, the models and bodies they call with, how a call is written for it and the
 * event it must give.
 */
final class BedrockCalls {
    static final String GLOBAL_SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String US_SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String SONNET_37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    static final String NOVA_PRO = "amazon.nova-pro-v1:0";
    static final String NOVA_LITE = "amazon.nova-lite-v1:0";
    static final String ANTHROPIC_BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1024,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private BedrockCalls() {
    }

    /** The program, with {@code hosts} ({@code 127.0.0.1}, with or without a port) named as Bedrock's. */
    static ForkedJvm.Builder program(Path workDir, String hosts) {
        return ForkedJvm.in(workDir).mainClass("dev.nullspend.it.bedrock.BedrockApp")
                .classPath(TestEnvironment.itAppClassPath("aws-bedrock"))
                .systemProperty("nullspend.providers.extra-hosts", "bedrock=" + hosts);
    }

    /** One call of the program: the operation (with the client's prefix), the fake's URL with {@code options}, the model and body. */
    static String call(FakeBedrockServer server, String operation, String options, String model, String body) {
        return operation + "|" + server.origin() + options + "|" + model + "|" + body;
    }

    /** The model as it stands in a request's raw path. */
    static String encoded(String model) {
        return model.replace(":", "%3A");
    }

    static ExpectedEvent bedrockEvent(String model, long input, long cached, long output, long micros, Breakdown breakdown) {
        return bedrockEvent(model, input, cached, output, micros, breakdown, Map.of());
    }

    static ExpectedEvent bedrockEvent(String model, long input, long cached, long output, long micros, Breakdown breakdown,
                                      Map<String, String> tags) {
        return new ExpectedEvent("bedrock", model, input, cached, output, 0, micros, breakdown, tags);
    }
}
