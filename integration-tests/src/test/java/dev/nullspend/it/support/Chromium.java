package dev.nullspend.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, for pages the agent writes: a screenshot and the DOM after the
 * page was laid out. Every run gets a fresh profile and no network beyond the file it opens. When
 * chromium is missing the test fails and says how to install it ({@code .ci/run} does).
 */
public final class Chromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    private Chromium() {
    }

    /** Renders {@code page} in a 1200×1600 window and saves what it shows as a PNG. */
    public static void screenshot(Path page, Path png, Path workDir) {
        run(workDir, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,1600", page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot at " + png);
        }
    }

    /** The page's DOM, serialised after it loaded. */
    public static String dumpDom(Path page, Path workDir) {
        return run(workDir, "--dump-dom", page.toUri().toString());
    }

    private static String run(Path workDir, String... args) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: the HTML report is checked in a real headless browser."
                    + " Install Debian's chromium (apt-get install -y chromium; .ci/run does it when missing)");
        }
        try {
            Path profile = Files.createTempDirectory(workDir, "chromium-profile");
            Path stdout = workDir.resolve("chromium-" + System.nanoTime() + ".out");
            Path stderr = workDir.resolve("chromium-" + System.nanoTime() + ".err");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + ": " + command + "\n"
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while chromium ran", e);
        }
    }
}
