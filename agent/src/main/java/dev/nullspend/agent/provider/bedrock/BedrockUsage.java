package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.json.RawJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Bedrock's own usage objects mapped to {@link Usage} (docs/providers/bedrock.md#converse-usage):
 * the input count <b>excludes</b> cache reads and writes, which come on top; Converse's
 * {@code cacheDetails} (an array of {@code {ttl, inputTokens}}) splits the writes by lifetime, and
 * without it every write is a 5-minute write. A usage counts when its object is complete and has
 * its input count. Bedrock responses do not name the model. Immutable.
 */
final class BedrockUsage implements UsageFormat {

    /** Converse's {@code usage}; also ConverseStream's {@code metadata} event payload, which has the same {@code usage}. */
    static final BedrockUsage CONVERSE = new BedrockUsage("usage", "inputTokens", "outputTokens",
            "cacheReadInputTokens", "cacheWriteInputTokens", true);
    /** Amazon Nova's native InvokeModel body. */
    static final BedrockUsage NOVA = new BedrockUsage("usage", "inputTokens", "outputTokens",
            "cacheReadInputTokenCount", "cacheWriteInputTokenCount", false);
    /** Amazon Nova's native stream: the {@code metadata} event's usage. */
    static final BedrockUsage NOVA_STREAM = new BedrockUsage("metadata.usage", "inputTokens", "outputTokens",
            "cacheReadInputTokenCount", "cacheWriteInputTokenCount", false);
    /** The totals Bedrock adds to the last chunk of every InvokeModelWithResponseStream, whatever the vendor. */
    static final BedrockUsage INVOCATION_METRICS = new BedrockUsage("amazon-bedrock-invocationMetrics",
            "inputTokenCount", "outputTokenCount", "cacheReadInputTokenCount", "cacheWriteInputTokenCount", false);
    /** Meta Llama's native InvokeModel body: the counts at the top level, no cache. */
    static final BedrockUsage LLAMA = new BedrockUsage(null, "prompt_token_count", "generation_token_count",
            null, null, false);

    /** {@code cacheDetails} entries read; Bedrock sends one per lifetime. */
    private static final int CACHE_DETAILS = 4;
    private static final String ONE_HOUR = "1h";

    private final String object;
    private final String input;
    private final String output;
    private final String cacheRead;
    private final String cacheWrite;
    private final String[] detailTtl;
    private final String[] detailTokens;
    private final byte[] quotedMarker;
    private final JsonPaths paths;

    /**
     * @param object the usage object's path, or null for counts at the top level
     * @param withCacheDetails whether the object may split its writes by lifetime ({@code cacheDetails})
     */
    private BedrockUsage(String object, String input, String output, String cacheRead, String cacheWrite,
                         boolean withCacheDetails) {
        this.object = object;
        this.input = path(object, input);
        this.output = path(object, output);
        this.cacheRead = cacheRead == null ? null : path(object, cacheRead);
        this.cacheWrite = cacheWrite == null ? null : path(object, cacheWrite);
        int details = withCacheDetails ? CACHE_DETAILS : 0;
        this.detailTtl = new String[details];
        this.detailTokens = new String[details];
        List<String> all = new ArrayList<>();
        if (object != null) {
            all.add(object);
        }
        all.add(this.input);
        all.add(this.output);
        if (cacheRead != null) {
            all.add(this.cacheRead);
            all.add(this.cacheWrite);
        }
        for (int i = 0; i < details; i++) {
            detailTtl[i] = path(object, "cacheDetails." + i + ".ttl");
            detailTokens[i] = path(object, "cacheDetails." + i + ".inputTokens");
            all.add(detailTtl[i]);
            all.add(detailTokens[i]);
        }
        this.quotedMarker = RawJson.quoted(object != null ? object.substring(object.lastIndexOf('.') + 1) : input);
        this.paths = JsonPaths.of(all);
    }

    @Override
    public JsonPaths paths() {
        return paths;
    }

    @Override
    public Usage read(JsonPicker picker) {
        if (object != null && (!picker.complete(object) || picker.kind(object) != JsonPicker.Kind.OBJECT)) {
            return null;
        }
        Long in = picker.longValue(input);
        if (in == null) {
            return null;
        }
        long oneHour = 0;
        long splitTotal = 0;
        for (int i = 0; i < detailTtl.length; i++) {
            long tokens = count(picker, detailTokens[i]);
            splitTotal += tokens;
            if (ONE_HOUR.equals(picker.text(detailTtl[i]))) {
                oneHour += tokens;
            }
        }
        // The total wins; the 1-hour part is the split's, at most the total: writes the split does not explain are 5-minute writes.
        long writes = cacheWrite != null && picker.longValue(cacheWrite) != null ? count(picker, cacheWrite) : splitTotal;
        oneHour = Math.min(oneHour, writes);
        return new Usage(Math.max(0, in), cacheRead == null ? 0 : count(picker, cacheRead), writes - oneHour, oneHour,
                count(picker, output), 0, null);
    }

    @Override
    public String model(JsonPicker picker) {
        return null;
    }

    /** Documents without the usage object's name (or, for top-level counts, the input count's) carry no usage. */
    @Override
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        return RawJson.contains(buf, off, len, quotedMarker);
    }

    private static long count(JsonPicker picker, String path) {
        Long v = picker.longValue(path);
        return v == null ? 0 : Math.max(0, v);
    }

    private static String path(String object, String field) {
        return object == null ? field : object + "." + field;
    }
}
