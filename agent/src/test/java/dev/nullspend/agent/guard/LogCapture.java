package dev.nullspend.agent.guard;

import dev.nullspend.agent.log.AgentLog;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures the agent log while open; closing restores stderr. */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    LogCapture() {
        AgentLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    List<String> lines() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    @Override
    public void close() {
        AgentLog.setOutput(System.err);
    }
}
