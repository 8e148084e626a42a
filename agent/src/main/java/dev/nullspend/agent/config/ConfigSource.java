package dev.nullspend.agent.config;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a configuration value comes from, in order of precedence: system property, the agent's
 * own arguments ({@code -javaagent:nullspend-agent.jar=key=value;key=value}), environment variable
 * ({@code NULLSPEND_X_Y_Z}), the properties file named by {@code nullspend.config-file}.
 *
 * <p>Reads with {@code java.io} only: premain must not initialise NIO file systems or JUL.
 */
public final class ConfigSource {

    /** A raw value and where it came from (for error messages). */
    public record Value(String raw, String origin) {
    }

    private final Map<String, String> systemProperties;
    private final Map<String, String> agentArgs;
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final String fileName;
    private final ConfigException fileProblem;

    public ConfigSource(Map<String, String> systemProperties, Map<String, String> agentArgs,
                        Map<String, String> environment, Map<String, String> file, String fileName) {
        this(systemProperties, agentArgs, environment, file, fileName, null);
    }

    private ConfigSource(Map<String, String> systemProperties, Map<String, String> agentArgs,
                         Map<String, String> environment, Map<String, String> file, String fileName,
                         ConfigException fileProblem) {
        this.systemProperties = systemProperties;
        this.agentArgs = agentArgs;
        this.environment = environment;
        this.file = file;
        this.fileName = fileName;
        this.fileProblem = fileProblem;
    }

    /**
     * The live sources of this JVM. A config file that cannot be read leaves the other sources,
     * with an invalid {@code nullspend.config-file} value ({@link #fileProblem()}).
     */
    public static ConfigSource fromRuntime(String agentArgs) {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("nullspend.")) {
                props.put(name, System.getProperty(name));
            }
        }
        Map<String, String> args = parseAgentArgs(agentArgs);
        Map<String, String> env = System.getenv();
        ConfigSource withoutFile = new ConfigSource(props, args, env, Map.of(), null);
        Value fileValue = withoutFile.get(ConfigKeys.CONFIG_FILE);
        if (fileValue == null || fileValue.raw().isBlank()) {
            return withoutFile;
        }
        String path = expandHome(fileValue.raw().trim());
        try {
            return new ConfigSource(props, args, env, readFile(path, fileValue.origin()), path, null);
        } catch (ConfigException e) {
            return new ConfigSource(props, args, env, Map.of(), null, e);
        }
    }

    /**
     * Only these agent arguments, as if nothing else were set: how the {@code attach} command checks
     * the options it will hand to another JVM before it does.
     */
    public static ConfigSource ofAgentArgs(String agentArgs) {
        return new ConfigSource(Map.of(), parseAgentArgs(agentArgs), Map.of(), Map.of(), null);
    }

    /** Why the file named by {@code nullspend.config-file} could not be read, or {@code null}. */
    ConfigException fileProblem() {
        return fileProblem;
    }

    /** {@code key=value;key=value} (also comma-separated); keys without the {@code nullspend.} prefix get it. */
    static Map<String, String> parseAgentArgs(String agentArgs) {
        Map<String, String> out = new HashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            if (!key.startsWith("nullspend.")) {
                key = "nullspend." + key;
            }
            out.put(key, part.substring(eq + 1).trim());
        }
        return out;
    }

    private static Map<String, String> readFile(String path, String origin) throws ConfigException {
        File f = new File(path);
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(f)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(ConfigKeys.CONFIG_FILE, path, origin, "cannot read the file (" + e.getMessage()
                    + "); ignored, the other sources apply");
        }
        Map<String, String> out = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            String key = name.startsWith("nullspend.") ? name : "nullspend." + name;
            out.put(key, p.getProperty(name));
        }
        return out;
    }

    static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    /** The environment variable name of a key: upper case, {@code .} and {@code -} become {@code _}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The highest-precedence value of {@code key}, or {@code null} when none of the sources sets it. */
    public Value get(String key) {
        String v = systemProperties.get(key);
        if (v != null) {
            return new Value(v, "system property");
        }
        v = agentArgs.get(key);
        if (v != null) {
            return new Value(v, "agent argument");
        }
        String env = envName(key);
        v = environment.get(env);
        if (v != null) {
            return new Value(v, "environment variable " + env);
        }
        v = file.get(key);
        if (v != null) {
            return new Value(v, "config file " + fileName);
        }
        return null;
    }

    /**
     * {@code nullspend.instrumentation.NAME.enabled} keys set as environment variables. The variable
     * name has lost the {@code -} of NAME; instrumentation names use {@code -}, never {@code _}.
     */
    public Set<String> instrumentationKeysFromEnvironment() {
        String prefix = envName(ConfigKeys.instrumentationEnabled(""));
        String head = prefix.substring(0, prefix.length() - "_ENABLED".length());
        Set<String> keys = new TreeSet<>();
        for (String var : environment.keySet()) {
            if (var.startsWith(head) && var.endsWith("_ENABLED") && var.length() > prefix.length()) {
                String name = var.substring(head.length(), var.length() - "_ENABLED".length());
                keys.add(ConfigKeys.instrumentationEnabled(name.toLowerCase(Locale.ROOT).replace('_', '-')));
            }
        }
        return keys;
    }

    /** {@code nullspend.*} keys set as system properties, agent arguments or in the file. */
    public Set<String> explicitKeys() {
        Set<String> keys = new TreeSet<>(systemProperties.keySet());
        keys.addAll(agentArgs.keySet());
        keys.addAll(file.keySet());
        return keys;
    }
}
