package dev.nullspend.agent.cli.report;

import dev.nullspend.agent.cli.UsageException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's command line: {@code [--ledger FILE]… [--since 24h|7d|30d|YYYY-MM-DD]
 * [--group-by model|provider|day|session|customer|tag:NAME] [--format text|json|csv] [--html FILE]}.
 * Each flag also takes {@code --flag=value}.
 *
 * @param since null for the whole ledger
 * @param html  null when no page is asked for
 */
record ReportOptions(List<Path> ledgers, Since since, Grouping grouping, Format format, Path html) {

    static final Path DEFAULT_LEDGER = Path.of("nullspend-ledger.jsonl");

    /** How the report is printed on stdout. */
    enum Format { TEXT, JSON, CSV }

    static ReportOptions parse(String[] args, Clock clock) throws UsageException {
        List<Path> ledgers = new ArrayList<>();
        String since = null;
        String groupBy = null;
        String format = null;
        String html = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!flag.equals("--ledger") && !flag.equals("--since") && !flag.equals("--group-by")
                    && !flag.equals("--format") && !flag.equals("--html")) {
                throw new UsageException("report: unknown " + (arg.startsWith("-") ? "option" : "argument") + " '" + arg
                        + "' (options: --ledger FILE, --since, --group-by, --format, --html FILE)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("report: " + flag + " needs a value");
                }
                value = args[++i];
            }
            if (value.isEmpty()) {
                throw new UsageException("report: " + flag + " needs a value");
            }
            switch (flag) {
                case "--ledger" -> ledgers.add(path(flag, value));
                case "--since" -> since = once(flag, since, value);
                case "--group-by" -> groupBy = once(flag, groupBy, value);
                case "--format" -> format = once(flag, format, value);
                default -> html = once(flag, html, value);
            }
        }
        if (ledgers.isEmpty()) {
            ledgers.add(DEFAULT_LEDGER);
        }
        return new ReportOptions(List.copyOf(ledgers),
                since == null ? null : Since.parse(since, clock),
                groupBy == null ? Grouping.MODEL : Grouping.parse(groupBy),
                format == null ? Format.TEXT : format(format),
                html == null ? null : path("--html", html));
    }

    private static String once(String flag, String previous, String value) throws UsageException {
        if (previous != null) {
            throw new UsageException("report: " + flag + " given twice");
        }
        return value;
    }

    private static Path path(String flag, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("report: " + flag + " '" + value + "' is not a file name: " + e.getReason());
        }
    }

    private static Format format(String text) throws UsageException {
        return switch (text) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            case "csv" -> Format.CSV;
            default -> throw new UsageException("report: --format '" + text + "' is not text, json or csv");
        };
    }
}
