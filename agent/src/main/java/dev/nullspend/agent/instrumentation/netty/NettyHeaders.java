package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.exchange.Headers;
import io.netty.handler.codec.http.HttpHeaders;

/** A Netty message's headers as the core reads them ({@code HttpHeaders.get} ignores case). */
public final class NettyHeaders implements Headers {
    private final HttpHeaders headers;

    public NettyHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String first(String name) {
        return headers.get(name);
    }
}
