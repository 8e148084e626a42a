package dev.nullspend.it.bedrock;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Usage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages through Anthropic's Java SDK on its Bedrock backend ({@code anthropic-java-bedrock}): the backend
 * signs with the AWS SDK's SigV4 signer and the SDK sends over its own OkHttp client, to {@code InvokeModel}
 * ({@code invoke}) or {@code InvokeModelWithResponseStream} ({@code invoke-with-response-stream}, which the
 * backend turns back into Anthropic's server-sent events). A client per call, as its base URL carries the
 * fake's options; no retries, so each call is one request.
 */
final class AnthropicBedrockCalls {

    private AnthropicBedrockCalls() {
    }

    static String call(String operation, URI endpoint, String model, String text) {
        AnthropicClient client = AnthropicOkHttpClient.builder()
                .backend(BedrockBackend.builder()
                        .awsCredentials(BedrockApp.CREDENTIALS)
                        .region(BedrockApp.REGION)
                        .baseUrl(endpoint.toString())
                        .build())
                .maxRetries(0)
                .build();
        try {
            MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage(text).build();
            return switch (operation) {
                case "invoke" -> message(client.messages().create(params));
                case "invoke-with-response-stream" -> stream(client.messages().createStreaming(params));
                default -> throw new IllegalArgumentException(operation);
            };
        } finally {
            client.close();
        }
    }

    /** {@code usage=input/cacheRead/cacheWrite/output} as the SDK parsed it, then the text. */
    private static String message(Message m) {
        Usage u = m.usage();
        return "usage=" + u.inputTokens() + "/" + u.cacheReadInputTokens().orElse(-1L) + "/"
                + u.cacheCreationInputTokens().orElse(-1L) + "/" + u.outputTokens()
                + " text=" + m.content().get(0).text().orElseThrow().text();
    }

    /** The server-sent events' types as the SDK parsed them, then the output tokens of its {@code message_delta}. */
    private static String stream(StreamResponse<RawMessageStreamEvent> response) {
        List<String> types = new ArrayList<>();
        long output = -1;
        try (response) {
            for (RawMessageStreamEvent e : (Iterable<RawMessageStreamEvent>) response.stream()::iterator) {
                types.add(e.isMessageStart() ? "message_start" : e.isContentBlockStart() ? "content_block_start"
                        : e.isContentBlockDelta() ? "content_block_delta" : e.isContentBlockStop() ? "content_block_stop"
                        : e.isMessageDelta() ? "message_delta" : e.isMessageStop() ? "message_stop" : "other");
                if (e.isMessageDelta()) {
                    output = e.messageDelta().orElseThrow().usage().outputTokens();
                }
            }
        }
        return "events=" + String.join(",", types) + " output=" + output;
    }
}
