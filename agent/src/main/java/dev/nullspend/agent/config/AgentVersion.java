package dev.nullspend.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version, from {@code dev/nullspend/agent/version.properties} (filtered by Maven
 * from the project version). Shown in the start-up line and sent as {@code X-NullSpend-SDK: java/<version>}.
 */
public final class AgentVersion {
    private static final String RESOURCE = "/dev/nullspend/agent/version.properties";
    private static final String VERSION = load();

    private AgentVersion() {
    }

    /** The version, or {@code unknown} when the resource is missing (a build without resource filtering). */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // the version is informational; "unknown" says what happened
        }
        return "unknown";
    }
}
