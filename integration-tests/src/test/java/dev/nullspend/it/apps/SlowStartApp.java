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

/**
 * A program whose very first action is an LLM call through {@code java.net.http}, made while the
 * agent's start is blocked: its ledger is a FIFO, and the agent waits to open it (to restore the
 * spend of its budget) until someone writes to it. After that first call, the program opens the
 * FIFO for writing and closes it (the agent reads an empty ledger and finishes its start), waits
 * until the agent is active, and makes the later calls.
 *
 * <p>Arguments: the chat completions URL, the FIFO, the number of later calls. Prints
 * {@code first=<outcome>}, then one {@code later=<outcome>} per later call, where an outcome is
 * {@code status <code>} or {@code <exception class> <code>} for a NullSpend denial. Exits 0.
 */
public final class SlowStartApp {

    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private SlowStartApp() {
    }

    public static void main(String[] args) throws Exception {
        URI chat = URI.create(args[0]);
        Path fifo = Path.of(args[1]);
        int later = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
