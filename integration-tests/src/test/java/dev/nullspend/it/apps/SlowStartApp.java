package dev.nullspend.it.apps;

import java.net.http.HttpClient;

/**
 * A program whose very first action is an LLM call through {@code java.net.http}, made while the
 * agent's start is blocked: its ledger's spend record is a FIFO, and the agent waits to open it (to
 * restore the spend of its budget) until someone writes to it. After that first call, the program
 * opens the FIFO for writing and closes it (the agent reads an empty record, rebuilds it from the
 * ledger and finishes its start), waits until the agent is active, and makes the later calls.
 *
 * <p>This class uses nothing of the NullSpend API, so the JDK client's {@code HttpClientImpl},
 * loaded first thing, is the first class the agent's gate holds (a class that uses the API waits
 * at the gate too, and would take that wait instead); {@link SlowStartCalls} does the rest.
 *
 * <p>Arguments: the chat completions URL, the FIFO, the number of later calls. Prints
 * {@code first=<outcome>}, then one {@code later=<outcome>} per later call, where an outcome is
 * {@code status <code>} or {@code <exception class> <code>} for a NullSpend denial. Exits 0.
 */
public final class SlowStartApp {

    private SlowStartApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SlowStartCalls.run(client, args);
    }
}
