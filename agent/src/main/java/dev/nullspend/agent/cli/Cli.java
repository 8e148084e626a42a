package dev.nullspend.agent.cli;

import dev.nullspend.agent.cli.attach.AttachCommand;
import dev.nullspend.agent.cli.report.ReportCommand;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;

/**
 * {@code java -jar nullspend-agent.jar COMMAND …}: picks the command. Only {@code main} reaches
 * this package; the {@code -javaagent} path never loads it.
 *
 * <p>Exit status: 0 on success, 2 on a usage error (one line on stderr), 1 on anything else.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Cli() {
    }

    /** Runs the command named by {@code args[0]}; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("report")) {
            return ReportCommand.run(rest, out, err, Clock.systemUTC());
        }
        if (args[0].equals("list")) {
            return AttachCommand.list(rest, out, err);
        }
        if (args[0].equals("attach")) {
            return AttachCommand.attach(rest, out, err);
        }
        err.println("nullspend-agent.jar: unknown command '" + args[0] + "' (commands: report, list, attach; no command for help)");
        return USAGE;
    }

    private static void usage(PrintStream out) {
        out.println("NullSpend Java agent. Add it to a program with:");
        out.println("  java -javaagent:nullspend-agent.jar [-Dnullspend.budget.limit-usd=5] -jar your-app.jar");
        out.println("See docs/configuration.md for every setting.");
        out.println();
        out.println("Commands:");
        out.println("  java -jar nullspend-agent.jar report [--ledger FILE]… [--since 24h|7d|30d|YYYY-MM-DD]");
        out.println("      [--group-by model|provider|day|session|customer|tag:NAME] [--format text|json|csv] [--html FILE]");
        out.println("      spend from a ledger (default nullspend-ledger.jsonl, with its rotated files); see docs/report.md");
        out.println("  java -jar nullspend-agent.jar list");
        out.println("      the running JVMs the agent can be attached to: PID and name");
        out.println("  java -jar nullspend-agent.jar attach PID [key=value;…]");
        out.println("      loads the agent into a running JVM, with settings as -javaagent takes them; see docs/attach.md");
    }
}
