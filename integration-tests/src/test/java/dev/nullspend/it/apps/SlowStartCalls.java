package dev.nullspend.it.apps;

import dev.nullspend.api.NullSpend;
import dev.nullspend.api.NullSpendException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The calls of {@link SlowStartApp}, once its {@link HttpClient} exists. */
final class SlowStartCalls {

    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private SlowStartCalls() {
    }

    static void run(HttpClient client, String[] args) throws Exception {
        URI chat = URI.create(args[0]);
        Path fifo = Path.of(args[1]);
        int later = Integer.parseInt(args[2]);
        System.out.println("first=" + call(client, chat));
        release(fifo);
        while (!NullSpend.isActive()) {
            Thread.sleep(10);
        }
        for (int i = 0; i < later; i++) {
            System.out.println("later=" + call(client, chat));
        }
    }

    private static String call(HttpClient client, URI chat) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(chat)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-test")
                .POST(BodyPublishers.ofString(BODY))
                .build();
        try {
            return "status " + client.send(request, BodyHandlers.ofString()).statusCode();
        } catch (NullSpendException denial) {
            return denial.getClass().getSimpleName() + " " + denial.code();
        }
    }

    /** Opening a FIFO for writing waits for its reader, the agent's start; closing it ends the agent's read. */
    private static void release(Path fifo) throws IOException {
        try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
            out.flush();
        }
    }
}
