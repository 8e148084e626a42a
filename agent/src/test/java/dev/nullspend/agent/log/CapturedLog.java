package dev.nullspend.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The agent's log as a test reads it: registered with {@code @RegisterExtension}, it takes
 * {@link AgentLog}'s output before each test and gives it back to stderr after the test's own
 * {@code @AfterEach} methods (so what they log is captured too).
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Runnable reset;

    public CapturedLog() {
        this(() -> { });
    }

    /** @param reset run before and after each test: what the test's subject keeps between tests (its once-only warnings) */
    public CapturedLog(Runnable reset) {
        this.reset = reset;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset.run();
        out.reset();
        AgentLog.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AgentLog.setOutput(System.err);
        reset.run();
    }

    /** Forgets what was logged so far. */
    public void clear() {
        out.reset();
    }

    /** Everything logged since the test began (or the last {@link #clear()}). */
    public String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
