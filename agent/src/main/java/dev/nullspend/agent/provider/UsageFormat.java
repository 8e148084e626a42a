package dev.nullspend.agent.provider;

import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;

/**
 * Where one JSON document of a provider's response (a plain body, an SSE data line, an NDJSON
 * line, an element of a streamed JSON array) carries usage and the model, and how its counts
 * map to {@link Usage} (docs/providers/README.md#normalisation). Immutable; one constant per API and document shape.
 */
public interface UsageFormat {

    /** The paths a {@link JsonPicker} must pick for {@link #read} and {@link #model}. */
    JsonPaths paths();

    /** The usage in the picked document, or {@code null} when it has none (or only an incomplete one). */
    Usage read(JsonPicker picker);

    /** The model the picked document names, or {@code null} when none (an empty string is none). */
    String model(JsonPicker picker);

    /**
     * Cheap pre-check on the raw bytes of one stream document: false when it certainly carries no
     * usage, so the parse can be skipped once the model is known. A false positive only costs a parse.
     */
    default boolean mayCarryUsage(byte[] buf, int off, int len) {
        return true;
    }

    /**
     * False when the picked document's usage has no output count yet (Gemini's stream chunks
     * before the last carry the prompt count only); see {@link UsageParser#outputCounted()}.
     */
    default boolean outputCounted(JsonPicker picker) {
        return true;
    }

    /** See {@link UsageParser#omitsZeroOutput()}. */
    default boolean omitsZeroOutput() {
        return false;
    }
}
