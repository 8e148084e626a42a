package dev.nullspend.agent.config;

import dev.nullspend.agent.log.Redaction;
import dev.nullspend.api.Money;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, validated reads of one {@link ConfigSource}. An invalid value never stops the reading:
 * it is recorded, naming its key, and the read returns the fallback the caller gave (the
 * default, or nothing for a key without one), so every other key is still read.
 */
final class ConfigReader {
    private final ConfigSource source;
    /** The first problem of each key, in reading order. */
    private final Map<String, ConfigException> invalid = new LinkedHashMap<>();

    ConfigReader(ConfigSource source) {
        this.source = source;
        if (source.fileProblem() != null) {
            invalid.put(ConfigKeys.CONFIG_FILE, source.fileProblem());
        }
    }

    /** Every invalid value read so far, one per key, in reading order. */
    List<ConfigException> invalid() {
        return List.copyOf(invalid.values());
    }

    /**
     * Records that {@code v} of {@code key} is invalid and returns {@code fallback}, which the
     * message names ({@code null}: the key is ignored).
     */
    <T> T invalid(String key, ConfigSource.Value v, String reason, T fallback) {
        String shown = describe(fallback);
        String instead = shown == null ? "ignored" : "using " + shown + " instead";
        invalid.putIfAbsent(key, new ConfigException(key, v.raw(), v.origin(), reason + "; " + instead));
        return fallback;
    }

    /** A fallback as a person would write it; {@code null} for none (nothing, or an empty list). */
    private static String describe(Object value) {
        if (value == null || value instanceof java.util.Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return String.valueOf(value);
    }

    ConfigSource.Value raw(String key) {
        ConfigSource.Value v = source.get(key);
        return v == null || v.raw().trim().isEmpty() ? null : new ConfigSource.Value(v.raw().trim(), v.origin());
    }

    String string(String key, String def) {
        ConfigSource.Value v = raw(key);
        return v == null ? def : v.raw();
    }

    String string(String key, int maxLength) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return null;
        }
        if (v.raw().length() > maxLength) {
            return invalid(key, v, "longer than " + maxLength + " characters", null);
        }
        return v.raw();
    }

    /** Longest {@code nullspend.api-key} accepted; real keys are {@code ns_live_sk_} + 32 hex. */
    static final int MAX_API_KEY_LENGTH = 200;

    /**
     * Why an API key cannot be sent as the {@code x-nullspend-key} header, without quoting it (a
     * log must never show a key), or null when it can: 1 to {@value #MAX_API_KEY_LENGTH} visible
     * ASCII characters. Control characters, blanks and non-ASCII characters are refused: HTTP
     * refuses some in a header, the rest cannot be part of a key and only come from a copy-paste.
     */
    static String apiKeyProblem(String key) {
        if (key.length() > MAX_API_KEY_LENGTH) {
            return "is longer than " + MAX_API_KEY_LENGTH + " characters";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                String what = Character.isISOControl(c) ? "a control character"
                        : Character.isWhitespace(c) || Character.isSpaceChar(c) ? "a blank"
                        : "a non-ASCII character";
                return "contains " + what + " at position " + (i + 1) + " of " + key.length()
                        + "; a key is visible ASCII characters only";
            }
        }
        return null;
    }

    boolean bool(String key, boolean def) {
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
                return invalid(key, v, "expected true or false", def);
        }
    }

    int integer(String key, int def, int min, int max) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        int i;
        try {
            i = Integer.parseInt(v.raw());
        } catch (NumberFormatException e) {
            return invalid(key, v, "expected a whole number", def);
        }
        if (i < min || i > max) {
            return invalid(key, v, "must be between " + min + " and " + max, def);
        }
        return i;
    }

    /** A non-negative dollar amount, returned in microdollars; {@code null} when unset. */
    Long usd(String key) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return null;
        }
        String s = v.raw().startsWith("$") ? v.raw().substring(1) : v.raw();
        BigDecimal d;
        long micros;
        try {
            d = new BigDecimal(s);
            micros = Money.toMicros(d);
        } catch (NumberFormatException | ArithmeticException e) {
            return invalid(key, v, "expected a dollar amount such as 5 or 0.25", null);
        }
        if (d.signum() < 0) {
            return invalid(key, v, "must not be negative", null);
        }
        return micros;
    }

    <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
        return choice(key, def, type, def);
    }

    /** As {@link #choice(String, Enum, Class)}, with another value than the default for an invalid one. */
    <E extends Enum<E>> E choice(String key, E def, Class<E> type, E onInvalid) {
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
        return invalid(key, v, "expected one of " + String.join(", ", names), onInvalid);
    }

    /** An http(s) URL without a trailing slash; {@code null} when unset. */
    String url(String key, String def) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return def;
        }
        try {
            URI u = new URI(v.raw());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                return invalid(key, v, "expected an http or https URL with a host", def);
            }
        } catch (java.net.URISyntaxException e) {
            return invalid(key, v, "not a valid URL", def);
        }
        String s = v.raw();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * A Redis URL, {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…}; {@code null}
     * when unset or invalid. Its password is registered as a secret first: no log line shows it.
     */
    String redisUrl(String key) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return null;
        }
        try {
            URI u = new URI(v.raw());
            String info = u.getUserInfo();
            if (info != null && info.indexOf(':') >= 0) {
                Redaction.secret(info.substring(info.indexOf(':') + 1));
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("redis") || scheme.equals("rediss")) || u.getHost() == null) {
                return invalid(key, v, "expected a redis:// or rediss:// URL with a host, such as redis://cache:6379/0", null);
            }
            String path = u.getPath() == null ? "" : u.getPath();
            if (!(path.isEmpty() || path.equals("/") || path.substring(1).matches("[0-9]{1,5}"))) {
                return invalid(key, v, "the database after the host must be a number", null);
            }
        } catch (java.net.URISyntaxException e) {
            return invalid(key, v, "not a valid URL", null);
        }
        return v.raw();
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

    /**
     * {@code name=host[:port],…} pairs, a name possibly repeated, each name one of {@code names};
     * returned as name → hosts, lower case, in order. A host is a DNS name, an IPv4 address or a
     * bracketed IPv6 literal, without scheme or path; a port is 1–65535. Empty when unset.
     */
    Map<String, List<String>> hostsByName(String key, List<String> names) {
        ConfigSource.Value v = raw(key);
        if (v == null) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : v.raw().split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return invalid(key, v, "expected name=host[:port] pairs separated by commas, got '" + pair.trim() + "'",
                        Map.of());
            }
            String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!names.contains(name)) {
                return invalid(key, v, "unknown provider '" + name + "', expected one of " + String.join(", ", names),
                        Map.of());
            }
            String host = pair.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            if (!isHostAndPort(host)) {
                return invalid(key, v, notAHost(host), Map.of());
            }
            List<String> hosts = out.computeIfAbsent(name, n -> new ArrayList<>());
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        out.forEach((name, hosts) -> frozen.put(name, List.copyOf(hosts)));
        return Collections.unmodifiableMap(frozen);
    }

    /** {@code host[:port],…}, lower case, in order, without repeats (same host rule as {@link #hostsByName}); empty when unset. */
    List<String> hosts(String key) {
        List<String> out = new ArrayList<>();
        for (String item : list(key)) {
            String host = item.toLowerCase(Locale.ROOT);
            if (out.contains(host)) {
                continue;
            }
            if (!isHostAndPort(host)) {
                return invalid(key, raw(key), notAHost(host), List.of());
            }
            out.add(host);
        }
        return List.copyOf(out);
    }

    private static String notAHost(String host) {
        return "'" + host + "' is not a host or host:port (no scheme, no path, port 1-65535)";
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}, lower case. */
    private static boolean isHostAndPort(String s) {
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = s.substring(0, close + 1);
            if (!host.substring(1, host.length() - 1).matches("[0-9a-f:.]+")) {
                return false;
            }
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    return false;
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (!host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                return false;
            }
        }
        if (port == null) {
            return true;
        }
        if (!port.matches("[0-9]{1,5}")) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    /**
     * {@code profile=model,…}: a Bedrock application inference profile (its ARN or its id) and the
     * model id it stands for; returned in order, the last mapping of a profile winning. Empty when unset.
     */
    Map<String, String> modelsByProfile(String key) {
        ConfigSource.Value v = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair pair : pairs(v)) {
            if (!pair.key().matches("[A-Za-z0-9:/._-]{1,2048}") || !pair.value().matches("[A-Za-z0-9:._-]{1,256}")) {
                return invalid(key, v, "expected profile=model pairs separated by commas (a profile ARN or id, a model id"
                        + " such as anthropic.claude-sonnet-4-5-20250929-v1:0), got '" + pair.text() + "'", Map.of());
            }
            out.put(pair.key(), pair.value());
        }
        return Collections.unmodifiableMap(out);
    }

    /** One {@code key=value} item of a comma list, trimmed; {@code key} is empty when the item has no {@code =} (or starts with it). */
    private record Pair(String key, String value, String text) {
    }

    /** The non-blank items of a comma list, each split at its first {@code =}; none when unset ({@code v} null). */
    private static List<Pair> pairs(ConfigSource.Value v) {
        List<Pair> out = new ArrayList<>();
        for (String item : v == null ? new String[0] : v.raw().split(",")) {
            String text = item.trim();
            if (text.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            out.add(eq <= 0 ? new Pair("", text, text) : new Pair(item.substring(0, eq).trim(), item.substring(eq + 1).trim(), text));
        }
        return out;
    }

    /** {@code k=v,k=v} tags; keys must satisfy the API's rule {@code [a-zA-Z0-9_-]{1,64}}, values ≤ 256 chars. */
    Map<String, String> tags(String key) {
        ConfigSource.Value v = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair pair : pairs(v)) {
            if (pair.key().isEmpty()) {
                return invalid(key, v, "expected key=value pairs separated by commas, got '" + pair.text() + "'", Map.of());
            }
            String k = pair.key();
            String val = pair.value();
            if (!k.matches("[a-zA-Z0-9_-]{1,64}")) {
                return invalid(key, v, "tag key '" + k + "' must be 1-64 characters of a-z, A-Z, 0-9, _ or -", Map.of());
            }
            if (val.length() > 256) {
                return invalid(key, v, "tag value of '" + k + "' is longer than 256 characters", Map.of());
            }
            out.put(k, val);
        }
        if (out.size() > 10) {
            return invalid(key, v, "at most 10 tags are allowed, got " + out.size(), Map.of());
        }
        return Collections.unmodifiableMap(out);
    }
}
