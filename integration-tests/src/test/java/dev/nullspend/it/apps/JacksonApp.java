package dev.nullspend.it.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A program with its own Jackson (the test class path's 2.12.7) that builds and reads its chat
 * completions with it, to prove the agent's shaded Jackson neither replaces nor disturbs the program's.
 *
 * <p>Arguments: {@code <OpenAI base URL> <model>...}, one plain chat completion per model. Prints
 * {@code jackson-core=<version>}, {@code jackson-databind=<version>}, then for each call
 * {@code reply=<model asked> <model answered> <total_tokens> <content>}.
 */
public final class JacksonApp {

    public static void main(String[] args) throws IOException, InterruptedException {
        System.out.println("jackson-core=" + com.fasterxml.jackson.core.json.PackageVersion.VERSION);
        System.out.println("jackson-databind=" + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
        ObjectMapper mapper = new ObjectMapper();
        HttpClient client = HttpClient.newHttpClient();
        String baseUrl = args[0];
        for (int i = 1; i < args.length; i++) {
            ObjectNode body = mapper.createObjectNode().put("model", args[i]);
            body.putArray("messages").addObject().put("role", "user").put("content", "Say hello.");
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-test-not-a-real-key")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = mapper.readTree(response.body());
            System.out.println("reply=" + args[i] + " " + json.path("model").asText() + " "
                    + json.path("usage").path("total_tokens").asLong() + " "
                    + json.path("choices").path(0).path("message").path("content").asText());
        }
    }
}
