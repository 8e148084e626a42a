package dev.nullspend.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.Map;

/**
 * A program that uses the official OpenAI Java SDK ({@code com.openai:openai-java}, over OkHttp), the
 * way its README does, against any OpenAI-compatible base URL. Each call ({@code --} between calls) is
 * {@code base=<base URL> model=<model> kind=<kind>}, on a client made for that base URL with a dummy
 * key and no retries:
 * <ul>
 *   <li>{@code chat}: {@code chat().completions().create(…)};</li>
 *   <li>{@code chat-async}: {@code async().chat().completions().create(…).join()};</li>
 *   <li>{@code stream}: {@code createStreaming(…)}, as the SDK sends it (no {@code stream_options});</li>
 *   <li>{@code stream-usage}: {@code createStreaming(…)} with {@code stream_options.include_usage: true}.</li>
 * </ul>
 * It prints {@code reply=<the assistant's text>} for each call; when a call fails,
 * {@code error=<exception class>} and a {@code cause=<class>} line for each of its causes, outermost first.
 */
public final class OpenAiJavaApp {

    public static void main(String[] args) {
        for (Map<String, String> call : CallArgs.parse(args)) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl(call.get("base"))
                    .apiKey("sk-test-not-a-real-key")
                    .maxRetries(0)
                    .build();
            try {
                System.out.println("reply=" + reply(client, call.get("kind"), call.get("model")));
            } catch (RuntimeException e) {
                System.out.println("error=" + e.getClass().getName());
                for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                    System.out.println("cause=" + cause.getClass().getName());
                }
            } finally {
                client.close();
            }
        }
    }

    private static String reply(OpenAIClient client, String kind, String model) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Say hello.");
        return switch (kind) {
            case "chat" -> text(client.chat().completions().create(params.build()));
            case "chat-async" -> text(client.async().chat().completions().create(params.build()).join());
            case "stream" -> streamed(client, params.build());
            case "stream-usage" -> streamed(client,
                    params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
            default -> throw new IllegalArgumentException("kind must be chat, chat-async, stream or stream-usage");
        };
    }

    private static String text(ChatCompletion completion) {
        return completion.choices().get(0).message().content().orElse("");
    }

    private static String streamed(OpenAIClient client, ChatCompletionCreateParams params) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        }
        return text.toString();
    }
}
