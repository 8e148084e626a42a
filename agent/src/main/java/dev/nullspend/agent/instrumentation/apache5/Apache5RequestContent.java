package dev.nullspend.agent.instrumentation.apache5;

import dev.nullspend.agent.exchange.StreamBodies;
import org.apache.hc.core5.http.HttpEntity;

import java.io.IOException;
import java.io.InputStream;

/** Opens a request entity's content for the copy {@link StreamBodies#requestBody} makes of a repeatable entity. */
public final class Apache5RequestContent implements StreamBodies.Opener {
    private final HttpEntity entity;

    public Apache5RequestContent(HttpEntity entity) {
        this.entity = entity;
    }

    @Override
    public InputStream open() throws IOException {
        return entity.getContent();
    }
}
