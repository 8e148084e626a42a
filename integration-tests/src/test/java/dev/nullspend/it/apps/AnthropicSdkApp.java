package dev.nullspend.it.apps;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.util.Map;

/**
 * A program that uses the official Anthropic Java SDK ({@code com.anthropic:anthropic-java}, over OkHttp)
 * the way its README does. Each call ({@code --} between calls) is
 * {@code base=<base URL> model=<model> max-tokens=<n> kind=<message|stream>}, on a client made for that
 * base URL with a dummy key and no retries: {@code message} is {@code messages().create(…)},
 * {@code stream} is {@code messages().createStreaming(…)} read event by event. It prints
 * {@code reply=<the assistant's text>} for each call, or {@code error=<exception class>} when it fails.
 */
public final class AnthropicSdkApp {

    public static void main(String[] args) {
        for (Map<String, String> call : CallArgs.parse(args)) {
            AnthropicClient client = AnthropicOkHttpClient.builder()
                    .baseUrl(call.get("base"))
                    .apiKey("sk-ant-test-not-a-real-key")
                    .maxRetries(0)
                    .build();
            MessageCreateParams params = MessageCreateParams.builder()
                    .model(call.get("model"))
                    .maxTokens(Long.parseLong(call.get("max-tokens")))
                    .addUserMessage("Say hello.")
                    .build();
            StringBuilder text = new StringBuilder();
            try {
                switch (call.get("kind")) {
                    case "message" -> client.messages().create(params).content()
                            .forEach(block -> block.text().ifPresent(t -> text.append(t.text())));
                    case "stream" -> {
                        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
                            stream.stream().forEach(event -> event.contentBlockDelta()
                                    .flatMap(delta -> delta.delta().text()).ifPresent(t -> text.append(t.text())));
                        }
                    }
                    default -> throw new IllegalArgumentException("kind must be message or stream");
                }
                System.out.println("reply=" + text);
            } catch (RuntimeException e) {
                System.out.println("error=" + e.getClass().getName());
                System.out.println("partial=" + text);
            } finally {
                client.close();
            }
        }
    }
}
