package dev.nullspend.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the agent's JSONL ledger. Strict on purpose: after a normal exit every line must be one
 * complete JSON object (the lenient "skip a torn last line" rule is for crash recovery, not for tests).
 */
public final class Ledger {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Ledger() {
    }

    /** The events in file order; empty when the file does not exist (nothing was ever written). */
    public static List<JsonNode> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = MAPPER.readTree(line);
                if (!node.isObject()) {
                    throw new AssertionError("ledger line " + (i + 1) + " is not a JSON object: " + line);
                }
                events.add(node);
            } catch (IOException e) {
                throw new AssertionError("ledger line " + (i + 1) + " is not JSON: " + line, e);
            }
        }
        return events;
    }
}
