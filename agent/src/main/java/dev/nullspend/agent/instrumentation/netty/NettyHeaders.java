package dev.nullspend.agent.instrumentation.netty;

import dev.nullspend.agent.exchange.Headers;
import io.netty.handler.codec.http.HttpHeaders;

/** A Netty message's headers as the core reads them ({@code HttpHeaders.get} ignores case). */
public final class NettyHeaders implements Headers {
    private final HttpHeaders headers;
    private final boolean decodedBeforeTheAgent;

    public NettyHeaders(HttpHeaders headers) {
        this(headers, false);
    }

    /**
     * @param decodedBeforeTheAgent a decompressor sits between the codec and the agent's handler, so the agent
     *                              (and the program) get the response decoded: the request's
     *                              {@code Accept-Encoding} then says nothing about the bytes the agent sees,
     *                              and is not shown to the core
     */
    public NettyHeaders(HttpHeaders headers, boolean decodedBeforeTheAgent) {
        this.headers = headers;
        this.decodedBeforeTheAgent = decodedBeforeTheAgent;
    }

    @Override
    public String first(String name) {
        if (decodedBeforeTheAgent && "accept-encoding".equalsIgnoreCase(name)) {
            return null;
        }
        return headers.get(name);
    }
}
