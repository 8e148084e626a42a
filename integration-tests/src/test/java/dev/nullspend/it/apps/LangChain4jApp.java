package dev.nullspend.it.apps;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A program that uses LangChain4j's OpenAI models ({@code dev.langchain4j:langchain4j-open-ai}) with
 * their default HTTP client ({@code java.net.http}, from {@code langchain4j-http-client-jdk}), the way
 * LangChain4j's documentation does, against any OpenAI-compatible base URL with a dummy key and no
 * retries. Each call ({@code --} between calls) is {@code base=<base URL> model=<model> kind=<kind>}:
 * <ul>
 *   <li>{@code chat}: {@code OpenAiChatModel.chat(String)};</li>
 *   <li>{@code stream}: {@code OpenAiStreamingChatModel.chat(String, handler)}, waited for until the
 *       handler sees the complete response (LangChain4j asks for {@code include_usage} itself).</li>
 * </ul>
 * It prints {@code reply=<the assistant's text>} for each call; when a call fails,
 * {@code error=<exception class>} and a {@code cause=<class>} line for each of its causes, outermost first.
 */
public final class LangChain4jApp {

    private static final String PROMPT = "Say hello.";
    private static final String API_KEY = "sk-test-not-a-real-key";

    public static void main(String[] args) {
        for (Map<String, String> call : CallArgs.parse(args)) {
            try {
                System.out.println("reply=" + reply(call.get("kind"), call.get("base"), call.get("model")));
            } catch (RuntimeException e) {
                System.out.println("error=" + e.getClass().getName());
                for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                    System.out.println("cause=" + cause.getClass().getName());
                }
            }
        }
    }

    private static String reply(String kind, String base, String model) {
        return switch (kind) {
            case "chat" -> OpenAiChatModel.builder().baseUrl(base).apiKey(API_KEY).modelName(model).maxRetries(0)
                    .build().chat(PROMPT);
            case "stream" -> streamed(OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(API_KEY)
                    .modelName(model).build());
            default -> throw new IllegalArgumentException("kind must be chat or stream");
        };
    }

    private static String streamed(OpenAiStreamingChatModel model) {
        CompletableFuture<String> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        model.chat(PROMPT, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(text.toString());
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.join();
    }
}
