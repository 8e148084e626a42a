package dev.nullspend.agent.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A ledger and the files logrotate moved it to (docs/ledger.md, "Rotating the ledger"):
 * {@code NAME.1}, {@code NAME.2.gz}, … ({@code rotate N}, {@code compress}) and
 * {@code NAME-20261207[.gz]} ({@code dateext}), in the same folder. They are read oldest first
 * and the ledger itself last, so a batch found twice (copied before a {@code copytruncate})
 * is counted once.
 */
final class LedgerFiles {

    private static final Pattern NUMBERED = Pattern.compile("\\.([0-9]{1,6})(\\.gz)?");
    private static final Pattern DATED = Pattern.compile("-([0-9]{8,14})(\\.gz)?");

    private LedgerFiles() {
    }

    /** The ledger's rotated files, oldest first, then the ledger (when it exists). */
    static List<Path> withRotated(Path ledger) throws IOException {
        Path dir = ledger.toAbsolutePath().getParent();
        String name = ledger.getFileName().toString();
        List<Rotated> rotated = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, glob(name) + "[.-]*")) {
                for (Path p : siblings) {
                    // Named as the user named the ledger (relative stays relative).
                    Path sibling = ledger.resolveSibling(p.getFileName());
                    Rotated r = Rotated.of(sibling, p.getFileName().toString().substring(name.length()));
                    if (r != null && Files.isRegularFile(p)) {
                        rotated.add(r);
                    }
                }
            }
        }
        rotated.sort(Rotated.OLDEST_FIRST);
        List<Path> files = new ArrayList<>(rotated.size() + 1);
        rotated.forEach(r -> files.add(r.path));
        if (Files.exists(ledger)) {
            files.add(ledger);
        }
        return files;
    }

    /** Opens the file for reading, through gzip when its name ends with {@code .gz}. */
    static ReadableByteChannel open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 64 * 1024);
            } catch (IOException e) {
                in.close();
                throw e;
            }
        }
        return Channels.newChannel(in);
    }

    private static String glob(String name) {
        // A ledger name with glob characters is matched literally.
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** A rotated file: dated ones are older than numbered ones (logrotate uses one scheme per file; mixed, a guess). */
    private record Rotated(Path path, boolean dated, String stamp) {
        static final Comparator<Rotated> OLDEST_FIRST = Comparator.comparing(Rotated::dated).reversed()
                .thenComparing((a, b) -> a.dated
                        ? a.stamp.compareTo(b.stamp)
                        : Long.compare(Long.parseLong(b.stamp), Long.parseLong(a.stamp)));

        static Rotated of(Path p, String suffix) {
            Matcher numbered = NUMBERED.matcher(suffix);
            if (numbered.matches()) {
                return new Rotated(p, false, numbered.group(1));
            }
            Matcher dated = DATED.matcher(suffix);
            return dated.matches() ? new Rotated(p, true, dated.group(1)) : null;
        }
    }
}
