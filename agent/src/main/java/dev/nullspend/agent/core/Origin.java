package dev.nullspend.agent.core;

import java.net.URI;
import java.util.Locale;

/** One {@code scheme://host:port} (default ports made explicit), compared to request URIs without allocating for other hosts. */
final class Origin {
    private final String host;
    /** The host without the brackets of an IPv6 literal, as some clients hold it. */
    private final String bareHost;
    private final String origin;

    private Origin(URI uri) {
        this.host = uri.getHost() == null ? "" : uri.getHost();
        this.bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        this.origin = of(uri);
    }

    static Origin of(String url) {
        return new Origin(URI.create(url));
    }

    /** True when {@code uri} is on this origin; the host check first is all most requests need. */
    boolean matches(URI uri) {
        return host.equalsIgnoreCase(uri.getHost()) && origin.equals(of(uri));
    }

    /**
     * False only when {@code candidate} is surely another host than this origin's: it may carry a
     * {@code :port} (a {@code Host} header), an IPv6 literal may come without brackets, and null
     * (unknown) may be any host. Scheme and port are not compared: a true answer is only "maybe".
     * Allocates nothing.
     */
    boolean mayBeHost(String candidate) {
        return candidate == null || startsWithHost(candidate, host) || startsWithHost(candidate, bareHost);
    }

    private static boolean startsWithHost(String candidate, String host) {
        int n = host.length();
        return candidate.regionMatches(true, 0, host, 0, n) && (candidate.length() == n || candidate.charAt(n) == ':');
    }

    static String of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        }
        String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + h + ":" + port;
    }
}
