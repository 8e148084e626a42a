package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.cli.Cli;
import dev.nullspend.agent.cli.UsageException;
import dev.nullspend.agent.report.LedgerReader;
import dev.nullspend.agent.report.RecentKeys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar nullspend-agent.jar report …}: streams one or more ledgers (with their rotated
 * files) into a {@link SpendReport} and prints it as text, JSON or CSV; {@code --html} also writes
 * a page with charts. docs/report.md describes it.
 */
public final class ReportCommand {

    private ReportCommand() {
    }

    /** Runs the command; returns the exit status ({@link Cli#OK}, {@link Cli#USAGE}, {@link Cli#FAILED}). */
    public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        ReportOptions options;
        try {
            options = ReportOptions.parse(args, clock);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return Cli.USAGE;
        }
        try {
            SpendReport report = read(options);
            if (options.html() != null) {
                try {
                    HtmlReport.write(report, options.html(), clock);
                } catch (IOException e) {
                    throw new ReportFailure("cannot write the HTML page " + options.html() + ": " + e);
                }
            }
            out.print(switch (options.format()) {
                case TEXT -> TextReport.render(report, options.html());
                case JSON -> JsonReport.render(report);
                case CSV -> CsvReport.render(report);
            });
            out.flush();
            return out.checkError() ? Cli.FAILED : Cli.OK;
        } catch (ReportFailure e) {
            err.println("report: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            err.println("report: failed: " + e);
        }
        return Cli.FAILED;
    }

    /** Streams every ledger given, each with its rotated files, oldest first; a file named twice is read once. */
    static SpendReport read(ReportOptions options) throws IOException, ReportFailure {
        SpendReport report = new SpendReport(options.grouping(), options.since());
        RecentKeys seen = new RecentKeys();
        Set<Path> done = new HashSet<>();
        for (Path ledger : options.ledgers()) {
            List<Path> files = LedgerFiles.withRotated(ledger);
            if (files.isEmpty()) {
                throw new ReportFailure("no ledger at " + ledger.toAbsolutePath()
                        + " (nor rotated files of it); name one with --ledger FILE");
            }
            for (Path file : files) {
                if (!done.add(file.toRealPath())) {
                    continue;
                }
                try (ReadableByteChannel in = LedgerFiles.open(file)) {
                    LedgerReader.Scan scan = LedgerReader.scan(in, file.toString(), seen, report::add);
                    report.skippedLines += scan.skippedLines();
                    report.duplicates += scan.duplicates();
                    report.files.add(file.toString());
                } catch (IOException e) {
                    throw new ReportFailure("cannot read " + file + ": " + e);
                }
            }
        }
        return report;
    }

    /** A failure with a message for the user (exit status 1). */
    static final class ReportFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ReportFailure(String message) {
            super(message);
        }
    }
}
