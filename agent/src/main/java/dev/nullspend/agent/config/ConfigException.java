package dev.nullspend.agent.config;

import dev.nullspend.agent.log.Redaction;

/**
 * An invalid configuration value; its message names the key, the value (never the value of a
 * secret such as {@code nullspend.api-key}; any URL password masked, see {@link Redaction}),
 * where it came from and why.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String value, String origin, String reason) {
        super(key + "=" + (ConfigKeys.SECRETS.contains(key) ? "(value hidden)" : quote(value))
                + (origin == null ? "" : " (from " + origin + ")") + ": " + reason);
        this.key = key;
    }

    private static String quote(String v) {
        return v == null ? "null" : '"' + Redaction.text(v) + '"';
    }

    public String key() {
        return key;
    }
}
