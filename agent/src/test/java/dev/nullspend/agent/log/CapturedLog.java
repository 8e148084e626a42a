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

    @Override
    public void beforeEach(ExtensionContext context) {
        out.reset();
        AgentLog.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AgentLog.setOutput(System.err);
    }

    /** Everything logged since the test began. */
    public String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
