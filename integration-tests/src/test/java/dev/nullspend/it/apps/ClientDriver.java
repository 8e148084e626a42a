package dev.nullspend.it.apps;

/**
 * One HTTP client as a program uses it, for {@link ClientApp}: the client contract tests drive every
 * client through this one interface (the test side names the driver class and its ways of calling).
 * An implementation has a public no-argument constructor, builds its clients lazily and closes them
 * in {@link #close()}.
 */
public interface ClientDriver extends AutoCloseable {

    /**
     * Makes one call and reads its body, passing each part to {@code body} as the program gets it.
     *
     * @param mode how the program calls the client (the driver's own names, e.g. {@code send-async}); every
     *             driver takes {@code sync} for its plain blocking call
     * @param read how the program takes the body; every driver takes {@code whole} (the body in one piece)
     *             and {@code streamed} (the raw bytes as they arrive), and may take its own kinds
     * @return the status
     * @throws Exception exactly what the program gets when the call fails: thrown, handed to a callback,
     *                   or the failure a future completed with
     */
    int send(ClientRequest request, String mode, String read, ReceivedBytes body) throws Exception;
}
