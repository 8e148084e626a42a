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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the agent's spool directory as a crash may leave it: every complete line of a segment
 * ({@code run-<id>.<seq>.jsonl}) must be a JSON object; only a last line without its {@code \n} may be
 * torn, and is skipped.
 */
public final class SpoolFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("run-[^.]+\\.\\d+\\.jsonl");

    private SpoolFiles() {
    }

    /** File names in the directory, sorted; empty when it does not exist. */
    public static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The segment files' names. */
    public static List<String> segments(Path dir) {
        return names(dir).stream().filter(n -> SEGMENT.matcher(n).matches()).toList();
    }

    /** The events of every segment, in name order; fails on a complete line that is not a JSON object. */
    public static List<JsonNode> events(Path dir) {
        List<JsonNode> events = new ArrayList<>();
        for (String name : segments(dir)) {
            String text;
            try {
                text = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String[] lines = text.split("\n", -1);
            // the element after the last '\n' is empty, or a torn line
            for (int i = 0; i < lines.length - 1; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = MAPPER.readTree(lines[i]);
                    if (!node.isObject()) {
                        throw new AssertionError(name + " line " + (i + 1) + " is not a JSON object: " + lines[i]);
                    }
                    events.add(node);
                } catch (IOException e) {
                    throw new AssertionError(name + " line " + (i + 1) + " is not JSON: " + lines[i], e);
                }
            }
        }
        return events;
    }

    /** Complete lines in all segments: cheap enough to poll while a program runs. */
    public static long completeLines(Path dir) {
        long n = 0;
        for (String name : segments(dir)) {
            try {
                for (byte b : Files.readAllBytes(dir.resolve(name))) {
                    if (b == '\n') {
                        n++;
                    }
                }
            } catch (IOException e) {
                // deleted while listed: the agent sent it
            }
        }
        return n;
    }
}
