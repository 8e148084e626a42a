package dev.nullspend.agent.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.nullspend.agent.NullSpendAgent;
import dev.nullspend.agent.cli.Cli;
import dev.nullspend.agent.cli.UsageException;
import dev.nullspend.agent.config.AgentPresence;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * {@code list} and {@code attach PID [key=value;…]}: the JVMs of this user that the JDK's attach API
 * sees, and loading this jar into one of them ({@code agentmain}, docs/attach.md). Whether the agent
 * started, or was refused because one already runs there, is read back from the target's
 * {@link AgentPresence#PROPERTY}.
 *
 * <p>Needs the {@code jdk.attach} module, which {@code java -jar} resolves on a full JDK; a runtime
 * without it (a JRE, a jlink image) gets one line saying so.
 */
public final class AttachCommand {
    private static final String NO_ATTACH_MODULE = "this Java runtime has no jdk.attach module (a JRE or a jlink"
            + " image): run the command with a full JDK's java";

    private AttachCommand() {
    }

    /** {@code list}: one line per JVM, {@code PID  display name}, this one left out. */
    public static int list(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("list: unexpected argument '" + args[0] + "' (list takes none)");
            return Cli.USAGE;
        }
        try {
            for (VirtualMachineDescriptor vm : others()) {
                out.println(vm.id() + "  " + (vm.displayName().isBlank() ? "(no name)" : vm.displayName()));
            }
            out.flush();
            return out.checkError() ? Cli.FAILED : Cli.OK;
        } catch (LinkageError e) {
            err.println("list: " + NO_ATTACH_MODULE);
            return Cli.FAILED;
        }
    }

    /** {@code attach PID [key=value;…]}: 0 when this attach started the agent in that JVM. */
    public static int attach(String[] args, PrintStream out, PrintStream err) {
        AttachArguments arguments;
        try {
            arguments = AttachArguments.parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return Cli.USAGE;
        }
        try {
            String line = attach(arguments);
            out.println(line);
            return Cli.OK;
        } catch (AttachFailure e) {
            err.println("attach: " + e.getMessage());
        } catch (LinkageError e) {
            err.println("attach: " + NO_ATTACH_MODULE);
        }
        return Cli.FAILED;
    }

    /** The line to print when the agent started; an {@link AttachFailure} with the line to print otherwise. */
    private static String attach(AttachArguments arguments) throws AttachFailure {
        String pid = Long.toString(arguments.pid());
        // Only a JVM the attach API lists: the JDK signals an unknown process to make it start its
        // attach listener, and a process that is no JVM may not survive that signal.
        if (others().stream().noneMatch(vm -> vm.id().equals(pid))) {
            throw new AttachFailure("no JVM with PID " + pid + " that this user can attach to (list shows them)");
        }
        File jar;
        try {
            jar = NullSpendAgent.agentJar();
        } catch (Exception e) {
            throw new AttachFailure("cannot find nullspend-agent.jar: " + e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new AttachFailure("cannot attach to JVM " + pid + ": " + e.getMessage());
        }
        try {
            vm.loadAgent(jar.getAbsolutePath(), AgentPresence.withAttachId(id, arguments.options()));
            String presence = vm.getSystemProperties().getProperty(AgentPresence.PROPERTY);
            return switch (AgentPresence.outcome(presence, id)) {
                case STARTED -> "attached the NullSpend agent to JVM " + pid;
                case REFUSED -> throw new AttachFailure("the NullSpend agent is already running in JVM " + pid + " ("
                        + AgentPresence.how(presence) + "); nothing was changed");
                case FAILED -> throw new AttachFailure("the agent was loaded into JVM " + pid
                        + " but did not start; that JVM's log says why");
                case NOT_STARTED -> throw new AttachFailure("the agent did not start in JVM " + pid
                        + " (nullspend.enabled=false there, or it failed: that JVM's log says which)");
            };
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new AttachFailure("cannot load the agent into JVM " + pid + ": " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the connection is gone already
            }
        }
    }

    /** The JVMs the attach API lists, without this one, by process id. */
    private static List<VirtualMachineDescriptor> others() {
        String self = Long.toString(ProcessHandle.current().pid());
        return VirtualMachine.list().stream().filter(vm -> !vm.id().equals(self))
                .sorted(Comparator.comparingLong(vm -> parsePid(vm.id()))).toList();
    }

    private static long parsePid(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Why an attach did not start the agent: its message is the one line printed. */
    private static final class AttachFailure extends Exception {
        private static final long serialVersionUID = 1L;

        AttachFailure(String message) {
            super(message);
        }
    }
}
