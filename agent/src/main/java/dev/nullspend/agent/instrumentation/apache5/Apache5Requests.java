package dev.nullspend.agent.instrumentation.apache5;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

import java.net.URI;

/**
 * What classic and async HttpClient 5 requests share: the absolute URI, without
 * {@code HttpRequest.getUri()} (which caches it in the request), and content types.
 */
public final class Apache5Requests {
    private Apache5Requests() {
    }

    /**
     * Scheme and host of the {@code target} the client connects to when there is one, else the
     * request's own; the request's path (with its query), as sent.
     */
    public static URI uri(HttpHost target, HttpRequest request) {
        String path = request.getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        URIAuthority authority = request.getAuthority();
        if (target == null && authority == null) {
            return URI.create(path);
        }
        String scheme = target != null ? target.getSchemeName()
                : request.getScheme() != null ? request.getScheme() : "http";
        String host = target != null ? target.getHostName() : authority.getHostName();
        int port = target != null ? target.getPort() : authority.getPort();
        StringBuilder uri = new StringBuilder(scheme).append("://");
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            uri.append('[').append(host).append(']'); // an IPv6 literal
        } else {
            uri.append(host);
        }
        if (port >= 0) {
            uri.append(':').append(port);
        }
        if (!path.startsWith("/")) {
            uri.append('/');
        }
        return URI.create(uri.append(path).toString());
    }

    /** The host of {@link #uri}: the {@code target}'s when there is one, else the request's own; null when neither. */
    public static String host(HttpHost target, HttpRequest request) {
        if (target != null) {
            return target.getHostName();
        }
        URIAuthority authority = request.getAuthority();
        return authority == null ? null : authority.getHostName();
    }

    /** The parsed content type, or null when there is none. */
    public static ContentType contentType(String value) {
        return value == null ? null : ContentType.parse(value);
    }
}
