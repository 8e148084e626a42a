package dev.nullspend.agent.instrumentation.jdkhttp;

import dev.nullspend.agent.exchange.Headers;

import java.net.http.HttpHeaders;

/** {@link Headers} over the JDK's {@link HttpHeaders} (already case-insensitive). */
public final class JdkHeaders implements Headers {
    private final HttpHeaders headers;

    public JdkHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String first(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
