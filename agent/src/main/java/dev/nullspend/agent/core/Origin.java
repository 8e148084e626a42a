package dev.nullspend.agent.core;

import java.net.URI;
import java.util.Locale;

/** One {@code scheme://host:port} (default ports made explicit), compared to request URIs without allocating for other hosts. */
final class Origin {
    private final String host;
    private final String origin;

    private Origin(URI uri) {
        this.host = uri.getHost() == null ? "" : uri.getHost();
        this.origin = of(uri);
    }

    static Origin of(String url) {
        return new Origin(URI.create(url));
    }

    /** True when {@code uri} is on this origin; the host check first is all most requests need. */
    boolean matches(URI uri) {
        return host.equalsIgnoreCase(uri.getHost()) && origin.equals(of(uri));
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
