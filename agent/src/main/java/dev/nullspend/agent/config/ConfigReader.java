package dev.nullspend.agent.config;

import dev.nullspend.api.Money;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Typed, validated reads of one {@link ConfigSource}; each failure names the key. */
final class ConfigReader {
    private final ConfigSource source;

    ConfigReader(ConfigSource source) {
        this.source = source;
    }

    ConfigSource.Value raw(String key) {
        ConfigSource.Value v = source.get(key);
        return v == null || v.raw().trim().isEmpty() ? null : new ConfigSource.Value(v.raw().trim(), v.origin());
    }

    String string(String key, String def) {
        ConfigSource.Value v = raw(key);
        return v == null ? def : v.raw();
    }

    String string(String key, int maxLength) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return null;
        }
        if (v.raw().length() > maxLength) {
            throw new ConfigException(key, v.raw(), v.origin(), "longer than " + maxLength + " characters");
        }
        return v.raw();
    }

    boolean bool(String key, boolean def) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        switch (v.raw().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw new ConfigException(key, v.raw(), v.origin(), "expected true or false");
        }
    }

    int integer(String key, int def, int min, int max) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        try {
            int i = Integer.parseInt(v.raw());
            if (i < min || i > max) {
                throw new ConfigException(key, v.raw(), v.origin(), "must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v.raw(), v.origin(), "expected a whole number");
        }
    }

    /** A non-negative dollar amount, returned in microdollars; {@code null} when unset. */
    Long usd(String key) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return null;
        }
        String s = v.raw().startsWith("$") ? v.raw().substring(1) : v.raw();
        try {
            BigDecimal d = new BigDecimal(s);
            if (d.signum() < 0) {
                throw new ConfigException(key, v.raw(), v.origin(), "must not be negative");
            }
            return Money.toMicros(d);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, v.raw(), v.origin(), "expected a dollar amount such as 5 or 0.25");
        }
    }

    <E extends Enum<E>> E choice(String key, E def, Class<E> type) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        String wanted = v.raw().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(key, v.raw(), v.origin(), "expected one of " + String.join(", ", names));
    }

    /** An http(s) URL without a trailing slash; {@code null} when unset. */
    String url(String key, String def) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        try {
            URI u = new URI(v.raw());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new ConfigException(key, v.raw(), v.origin(), "expected an http or https URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key, v.raw(), v.origin(), "not a valid URL");
        }
        String s = v.raw();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** A comma-separated list; empty when unset. */
    List<String> list(String key) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v.raw().split(",")) {
            if (!s.trim().isEmpty()) {
                out.add(s.trim());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code k=v,k=v} tags; keys must satisfy the API's rule {@code [a-zA-Z0-9_-]{1,64}}, values ≤ 256 chars. */
    Map<String, String> tags(String key) throws ConfigException {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : v.raw().split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(key, v.raw(), v.origin(), "expected key=value pairs separated by commas, got '" + pair.trim() + "'");
            }
            String k = pair.substring(0, eq).trim();
            String val = pair.substring(eq + 1).trim();
            if (!k.matches("[a-zA-Z0-9_-]{1,64}")) {
                throw new ConfigException(key, v.raw(), v.origin(), "tag key '" + k + "' must be 1-64 characters of a-z, A-Z, 0-9, _ or -");
            }
            if (val.length() > 256) {
                throw new ConfigException(key, v.raw(), v.origin(), "tag value of '" + k + "' is longer than 256 characters");
            }
            out.put(k, val);
        }
        if (out.size() > 10) {
            throw new ConfigException(key, v.raw(), v.origin(), "at most 10 tags are allowed, got " + out.size());
        }
        return Collections.unmodifiableMap(out);
    }
}
