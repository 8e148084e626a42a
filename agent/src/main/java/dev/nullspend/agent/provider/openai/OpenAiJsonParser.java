package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.nio.ByteBuffer;

/**
 * Usage from a plain (non-streamed) OpenAI-style JSON response, read incrementally as the body
 * passes: a huge {@code data} array (embeddings) before {@code usage} is skipped, never held.
 */
public final class OpenAiJsonParser implements UsageParser {
    private final OpenAiUsage fields;
    private final JsonPicker picker;

    public OpenAiJsonParser(OpenAiUsage fields) {
        this.fields = fields;
        this.picker = new JsonPicker(fields.responsePaths());
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
        return fields.read(picker);
    }

    @Override
    public String responseModel() {
        return picker.text(OpenAiUsage.MODEL);
    }
}
