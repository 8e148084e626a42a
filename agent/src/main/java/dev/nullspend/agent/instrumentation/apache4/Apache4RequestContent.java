package dev.nullspend.agent.instrumentation.apache4;

import dev.nullspend.agent.exchange.StreamBodies;
import org.apache.http.HttpEntity;

import java.io.IOException;
import java.io.InputStream;

/** Opens a request entity's content for the copy {@link StreamBodies#requestBody} makes of a repeatable entity. */
public final class Apache4RequestContent implements StreamBodies.Opener {
    private final HttpEntity entity;

    public Apache4RequestContent(HttpEntity entity) {
        this.entity = entity;
    }

    @Override
    public InputStream open() throws IOException {
        return entity.getContent();
    }
}
