package dev.nullspend.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the agent's spool directory as a crash may leave it: every complete line of a segment
 * ({@code run-<id>.<seq>.jsonl}) must be a JSON object; only a last line without its {@code \n} may be
 * torn, and is skipped. The directory holds one folder per owner ({@link #ownerDir}); the methods
 * look into them, and name files by their path relative to the directory given.
 */
public final class SpoolFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("run-[^.]+\\.\\d+\\.jsonl");

    private SpoolFiles() {
    }

    /**
     * The folder of the owner (API key, base URL) in a spool directory, as docs/api.md defines it:
     * {@code owner-} and the first 32 hex digits of the SHA-256 of
     * {@code "nullspend-spool-owner-v1\n" + key + "\n" + url}. {@code baseUrl} must already be in the
     * normalized form (lower case, no default port, no user-info, no trailing slash), as
     * {@code FakeNullSpendApi.baseUrl()} is.
     */
    public static Path ownerDir(Path spoolDir, String apiKey, String baseUrl) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("nullspend-spool-owner-v1\n" + apiKey + "\n" + baseUrl).getBytes(StandardCharsets.UTF_8));
            return spoolDir.resolve("owner-" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Regular files in the directory and its folders, as relative paths, sorted; empty when it does not exist. */
    public static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The segment files' relative paths. */
    public static List<String> segments(Path dir) {
        return names(dir).stream().filter(n -> SEGMENT.matcher(Path.of(n).getFileName().toString()).matches()).toList();
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
