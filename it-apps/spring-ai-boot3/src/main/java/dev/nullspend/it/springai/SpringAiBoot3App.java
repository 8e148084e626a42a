package dev.nullspend.it.springai;

import java.util.List;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ClientHttpConnector;

/**
 * A Spring Boot 3.5 program on Spring AI 1.1's OpenAI and Anthropic starters (the same source is built for Spring
 * Boot 4 and Spring AI 2.0 by it-apps/spring-ai-boot4), as an application
 * would use them: the auto-configured chat models (base URLs from {@code --spring.ai.*.base-url}),
 * each behind a {@link ChatClient}. Its arguments are the calls to make, in order:
 * {@code openai-call} ({@code gpt-4o-mini}), {@code openai-stream} ({@code gpt-4o}),
 * {@code anthropic-call} ({@code claude-sonnet-4-5}), {@code anthropic-stream}
 * ({@code claude-haiku-4-5}). It prints which HTTP clients Boot chose ({@code request-factory=},
 * {@code connector=}), then per call {@code result=<call> text=<the reply>} or
 * {@code result=<call> error=<class> denial=<class of the NullSpend exception in the cause chain>
 * code=<its code>}.
 */
@SpringBootApplication
public class SpringAiBoot3App {

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = SpringApplication.run(SpringAiBoot3App.class, args)) {
            System.out.println("request-factory=" + context.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                    .getIfAvailable(ClientHttpRequestFactoryBuilder::detect).getClass().getName());
            System.out.println("connector=" + context.getBeanProvider(ClientHttpConnector.class).stream()
                    .map(c -> c.getClass().getName()).toList());
            ChatClient openAi = ChatClient.create(context.getBean(OpenAiChatModel.class));
            ChatClient anthropic = ChatClient.create(context.getBean(AnthropicChatModel.class));
            List<String> calls = context.getBean(ApplicationArguments.class).getNonOptionArgs();
            for (String call : calls) {
                System.out.println("result=" + call + " " + switch (call) {
                    case "openai-call" -> call(openAi, OpenAiChatOptions.builder().model("gpt-4o-mini").build(), false);
                    case "openai-stream" -> call(openAi, OpenAiChatOptions.builder().model("gpt-4o").build(), true);
                    case "anthropic-call" -> call(anthropic, AnthropicChatOptions.builder().model("claude-sonnet-4-5").build(), false);
                    case "anthropic-stream" -> call(anthropic, AnthropicChatOptions.builder().model("claude-haiku-4-5").build(), true);
                    default -> throw new IllegalArgumentException(call);
                });
            }
        }
        System.exit(0);
    }

    private static String call(ChatClient client, ChatOptions options, boolean stream) {
        try {
            // A Prompt with its options: the one way Spring AI 1.1 and 2.0 share (2.0's options() takes a builder).
            ChatClient.ChatClientRequestSpec request = client.prompt(new Prompt("Say hello.", options));
            String text = stream ? String.join("", request.stream().content().collectList().block()) : request.call().content();
            return "text=" + text;
        } catch (RuntimeException e) {
            Throwable denial = e;
            while (denial != null && !denial.getClass().getName().startsWith("dev.nullspend.api.")) {
                denial = denial.getCause();
            }
            return "error=" + e.getClass().getName() + (denial == null ? "" : " denial=" + denial.getClass().getName()
                    + " code=" + code(denial));
        }
    }

    /** The denial's code, through reflection: the program does not compile against the agent's API. */
    private static Object code(Throwable denial) {
        try {
            return denial.getClass().getMethod("code").invoke(denial);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }
}
