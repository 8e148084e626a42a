package dev.nullspend.agent.provider;

import dev.nullspend.agent.provider.json.JsonPicker;
import java.nio.ByteBuffer;

/**
 * Usage from a plain (non-streamed) JSON response, read incrementally as the body passes: a huge
 * {@code data} array (embeddings) before the usage is skipped, never held. The body is one
 * document of the given {@link UsageFormat}.
 */
public final class JsonBodyParser implements UsageParser {
    private final UsageFormat format;
    private final JsonPicker picker;

    public JsonBodyParser(UsageFormat format) {
        this.format = format;
        this.picker = new JsonPicker(format.paths());
    }

    @Override
    public void feed(ByteBuffer bytes) {
        picker.feed(bytes);
    }

    @Override
    public void end() {
        picker.end();
    }

    @Override
    public Usage usage() {
        return format.read(picker);
    }

    @Override
    public String responseModel() {
        return format.model(picker);
    }
}
