package dev.nullspend.it.apps;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.util.Date;
import java.util.Map;

/**
 * A program that uses Google's Gen AI Java SDK ({@code com.google.genai:google-genai}, over OkHttp) the way
 * its README does, with its base URL pointed elsewhere ({@code HttpOptions.baseUrl}). Each call
 * ({@code --} between calls) is {@code base=<base URL> model=<model> kind=<content|stream> api=<gemini|vertex>}:
 * {@code content} is {@code models.generateContent(…)}, {@code stream} is
 * {@code models.generateContentStream(…)} ({@code :streamGenerateContent?alt=sse}) read response by
 * response. {@code gemini} is the Developer API with a dummy key; {@code vertex} is Vertex AI (project
 * {@code fake-project}, location {@code us-central1}) with a fixed OAuth token, so nothing is asked of
 * Google. Retries are off. It prints {@code reply=<the text>} for each call, or
 * {@code error=<exception class>} when it fails. An optional {@code max=<n>} sets the request's
 * {@code maxOutputTokens}; {@code kind=stream} prints the text received before a failure as
 * {@code partial=<text>}.
 */
public final class GeminiSdkApp {

    public static void main(String[] args) {
        for (Map<String, String> call : CallArgs.parse(args)) {
            HttpOptions http = HttpOptions.builder()
                    .baseUrl(call.get("base"))
                    .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                    .build();
            Client.Builder builder = Client.builder().httpOptions(http);
            if ("vertex".equals(call.get("api"))) {
                GoogleCredentials token = GoogleCredentials.create(
                        new AccessToken("ya29.fake-token", new Date(System.currentTimeMillis() + 3_600_000L)));
                builder.vertexAI(true).project("fake-project").location("us-central1").credentials(token);
            } else {
                builder.apiKey("fake-gemini-key");
            }
            try (Client client = builder.build()) {
                System.out.println("reply=" + reply(client, call.get("kind"), call.get("model"), config(call)));
            } catch (RuntimeException e) {
                System.out.println("error=" + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    private static GenerateContentConfig config(Map<String, String> call) {
        String max = call.get("max");
        return max == null ? null : GenerateContentConfig.builder().maxOutputTokens(Integer.parseInt(max)).build();
    }

    private static String reply(Client client, String kind, String model, GenerateContentConfig config) {
        return switch (kind) {
            case "content" -> client.models.generateContent(model, "Say hello.", config).text();
            case "stream" -> {
                StringBuilder text = new StringBuilder();
                try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model, "Say hello.", config)) {
                    for (GenerateContentResponse response : stream) {
                        text.append(response.text());
                    }
                } catch (RuntimeException e) {
                    System.out.println("partial=" + text);
                    throw e;
                }
                yield text.toString();
            }
            default -> throw new IllegalArgumentException("kind must be content or stream");
        };
    }
}
