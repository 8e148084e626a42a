package dev.nullspend.agent.cli.attach;

import dev.nullspend.agent.cli.UsageException;
import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.config.ConfigException;
import dev.nullspend.agent.config.ConfigKeys;
import dev.nullspend.agent.config.ConfigSource;

import java.util.Set;

/**
 * {@code attach PID [key=value;…]}: the target's process id and the options, checked here as the
 * agent will read them ({@link ConfigSource#ofAgentArgs}, {@link AgentConfig}), so that a typo
 * is a usage error in the terminal rather than a warning in the other program's log.
 *
 * @param pid     the target JVM's process id
 * @param options the options as given ({@code ""} when none), handed to the agent unchanged
 */
record AttachArguments(long pid, String options) {
    static final String USAGE = "usage: attach PID [key=value;…] (list shows the JVMs)";
    /** Files the target reads, relative to its own working directory: it checks them, and logs one it cannot read. */
    private static final Set<String> TARGET_FILES = Set.of(ConfigKeys.BUDGETS_FILE, ConfigKeys.PRICING_FILE);

    static AttachArguments parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("attach: missing PID (" + USAGE + ")");
        }
        if (args.length > 2) {
            throw new UsageException("attach: unexpected argument '" + args[2]
                    + "' (the options are one argument: key=value;key=value)");
        }
        long pid;
        try {
            pid = Long.parseLong(args[0]);
        } catch (NumberFormatException e) {
            pid = 0;
        }
        if (pid <= 0) {
            throw new UsageException("attach: '" + args[0] + "' is not a process id (" + USAGE + ")");
        }
        String options = args.length == 2 ? args[1].trim() : "";
        check(options);
        return new AttachArguments(pid, options);
    }

    /** Every part {@code key=value} (empty parts allowed), every key known, every value valid. */
    private static void check(String options) throws UsageException {
        for (String part : options.split(";")) {
            if (!part.isBlank() && part.indexOf('=') <= 0) {
                throw new UsageException("attach: option '" + part.trim() + "' is not key=value");
            }
        }
        AgentConfig config = AgentConfig.read(ConfigSource.ofAgentArgs(options));
        if (!config.unknownKeys.isEmpty()) {
            throw new UsageException("attach: unknown setting " + config.unknownKeys.iterator().next()
                    + " (see docs/configuration.md)");
        }
        for (ConfigException invalid : config.invalid) {
            if (!TARGET_FILES.contains(invalid.key())) {
                // The message ends with what the agent would do instead ("; ignored"): here nothing is attached.
                String message = invalid.getMessage();
                throw new UsageException("attach: invalid setting " + message.substring(0, message.lastIndexOf("; "))
                        + "; nothing was attached");
            }
        }
    }
}
