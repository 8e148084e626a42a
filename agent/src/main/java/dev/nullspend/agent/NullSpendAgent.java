package dev.nullspend.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point, loaded by the system class loader. It only puts the agent
 * jar on the bootstrap class path and hands over to {@code bootstrap.AgentMain} there, so that
 * one copy of the agent (and of the {@code dev.nullspend.api} exceptions) is visible to every
 * class loader. It keeps no state: after the hand-over this class is never used again.
 */
public final class NullSpendAgent {
    private NullSpendAgent() {
    }

    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, true);
    }

    public static void agentmain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /**
     * {@code java -jar nullspend-agent.jar [COMMAND …]}: the commands ({@code report}), or how to use
     * the agent when none is given. The {@code cli} package is loaded only here, never by premain.
     */
    public static void main(String[] args) {
        int status = dev.nullspend.agent.cli.Cli.run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    private static void start(String agentArgs, Instrumentation inst, boolean premain) {
        try {
            if (switchedOff(agentArgs)) {
                // Checked before touching the bootstrap class path, so a disabled agent changes nothing.
                System.err.println("[nullspend] agent disabled by nullspend.enabled=false");
                return;
            }
            File jar = agentJar();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            Class<?> main = Class.forName("dev.nullspend.agent.bootstrap.AgentMain", true, null);
            main.getMethod("start", String.class, Instrumentation.class, File.class, boolean.class)
                    .invoke(null, agentArgs, inst, jar, premain);
        } catch (Throwable t) {
            System.err.println("[nullspend] ERROR the agent could not start and is disabled; the program runs without it: " + t);
        }
    }

    /**
     * True when {@code nullspend.enabled} is false in a system property, an agent argument or the
     * environment (the config file is read later, by the full configuration).
     */
    private static boolean switchedOff(String agentArgs) {
        String v = System.getProperty("nullspend.enabled");
        if (v == null && agentArgs != null) {
            for (String part : agentArgs.split(";")) {
                String p = part.trim();
                if (p.startsWith("enabled=") || p.startsWith("nullspend.enabled=")) {
                    v = p.substring(p.indexOf('=') + 1);
                }
            }
        }
        if (v == null) {
            v = System.getenv("NULLSPEND_ENABLED");
        }
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        return s.equals("false") || s.equals("no") || s.equals("off") || s.equals("0");
    }

    /**
     * The jar this class was loaded from, found through its resource URL (works under a SecurityManager
     * too); also the jar the {@code attach} command loads into another JVM.
     */
    public static File agentJar() throws Exception {
        URL url = NullSpendAgent.class.getResource("NullSpendAgent.class");
        String s = url == null ? "" : url.toString();
        if (!s.startsWith("jar:file:")) {
            throw new IllegalStateException("not loaded from a jar: " + s);
        }
        String path = s.substring("jar:file:".length(), s.indexOf("!/"));
        File jar = new File(URLDecoder.decode(path, StandardCharsets.UTF_8));
        // An uber-jar on the class path that swallowed the agent's classes would be found first:
        // appending it to the bootstrap class path would be wrong, so insist on the agent's own jar.
        try (JarFile jf = new JarFile(jar)) {
            java.util.jar.Manifest mf = jf.getManifest();
            String premain = mf == null ? null : mf.getMainAttributes().getValue("Premain-Class");
            if (!NullSpendAgent.class.getName().equals(premain)) {
                throw new IllegalStateException("the agent's classes were loaded from " + jar
                        + ", which is not nullspend-agent.jar; remove them from the application class path");
            }
        }
        return jar;
    }
}
