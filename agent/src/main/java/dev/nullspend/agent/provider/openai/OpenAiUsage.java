package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.json.JsonPaths;
import dev.nullspend.agent.provider.json.JsonPicker;
import dev.nullspend.agent.provider.json.RawJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI usage object and its OpenAI-compatible variants mapped to {@link Usage}
 * (docs/providers/openai.md, docs/providers/compatible.md, docs/providers/README.md#normalisation), wherever a response puts it. Immutable; one constant per shape.
 *
 * <ul>
 *   <li>Chat and legacy Completions: uncached input = {@code prompt_tokens −
 *       prompt_tokens_details.cached_tokens} (≥ 0), cache read = cached tokens, output =
 *       {@code completion_tokens}, reasoning = {@code completion_tokens_details.reasoning_tokens}
 *       (inside output). DeepSeek's {@code prompt_cache_hit_tokens} / {@code
 *       prompt_cache_miss_tokens}, when present, are the cache read and the uncached input. Groq's
 *       older streams put the object at {@code x_groq.usage}, read when {@code usage} has none.
 *       {@code cache_write_tokens} has no published price and stays in the uncached input (docs/pricing.md#open-price-questions).</li>
 *   <li>Responses: the same with {@code input_tokens}, {@code input_tokens_details.cached_tokens},
 *       {@code output_tokens}, {@code output_tokens_details.reasoning_tokens}; in a stream at
 *       {@code response.usage} of the terminal event, with the model at {@code response.model}.</li>
 *   <li>Embeddings: input only.</li>
 *   <li>With reported cost (OpenRouter): {@code usage.cost} in USD becomes
 *       {@link Usage#providerReportedCostMicros()}, {@code round(cost × 10⁶)} half-up, computed
 *       from the decimal text exactly.</li>
 * </ul>
 *
 * <p>A usage object counts only when it was read to its closing brace and has its input count
 * (as the reference parser requires): a body cut inside it yields no usage rather than a partial
 * one. Negative counts are read as 0.
 */
public final class OpenAiUsage implements UsageFormat {

    private static final Names CHAT_NAMES = new Names("prompt_tokens", "prompt_tokens_details.cached_tokens",
            "prompt_cache_hit_tokens", "prompt_cache_miss_tokens", "completion_tokens",
            "completion_tokens_details.reasoning_tokens");
    private static final Names RESPONSES_NAMES = new Names("input_tokens", "input_tokens_details.cached_tokens",
            null, null, "output_tokens", "output_tokens_details.reasoning_tokens");
    private static final Names EMBEDDINGS_NAMES = new Names("prompt_tokens", null, null, null, null, null);

    /** Chat Completions and legacy Completions, plain or streamed. */
    public static final OpenAiUsage CHAT = new OpenAiUsage("model", CHAT_NAMES, false, "usage", "x_groq.usage");
    /** {@link #CHAT} plus the provider-reported {@code usage.cost} (OpenRouter). */
    public static final OpenAiUsage CHAT_WITH_COST = new OpenAiUsage("model", CHAT_NAMES, true, "usage", "x_groq.usage");
    /** A plain Responses API body. */
    public static final OpenAiUsage RESPONSES = new OpenAiUsage("model", RESPONSES_NAMES, false, "usage");
    /** One Responses API stream event (usage on {@code response.completed|incomplete|failed}). */
    public static final OpenAiUsage RESPONSES_EVENT = new OpenAiUsage("response.model", RESPONSES_NAMES, false,
            "response.usage");
    public static final OpenAiUsage EMBEDDINGS = new OpenAiUsage("model", EMBEDDINGS_NAMES, false, "usage");

    /** A reported cost above this is not a real per-call cost: it is ignored and the call priced locally. */
    private static final BigDecimal MAX_REPORTED_USD = BigDecimal.valueOf(1_000_000);
    /** Below half a µ$, a reported cost rounds to 0 (checked first: rounding 1e-999999 would be costly). */
    private static final BigDecimal HALF_MICRO_USD = new BigDecimal("0.0000005");

    /** Field names, relative to the usage object; null when the shape has no such field. */
    private record Names(String input, String cached, String cacheHit, String cacheMiss, String output, String reasoning) {
    }

    /** The full paths of one usage object's fields. */
    private record UsageObject(String path, String input, String cached, String cacheHit, String cacheMiss,
                               String output, String reasoning, String cost) {
    }

    private final String modelPath;
    private final UsageObject[] objects;
    private final JsonPaths paths;
    private final byte[][] quotedKeys;

    private OpenAiUsage(String modelPath, Names names, boolean reportedCost, String... objectPaths) {
        this.modelPath = modelPath;
        this.objects = new UsageObject[objectPaths.length];
        List<String> all = new ArrayList<>(List.of(modelPath));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < objectPaths.length; i++) {
            String o = objectPaths[i];
            UsageObject object = new UsageObject(o, under(o, names.input()), under(o, names.cached()),
                    under(o, names.cacheHit()), under(o, names.cacheMiss()), under(o, names.output()),
                    under(o, names.reasoning()), reportedCost ? under(o, "cost") : null);
            objects[i] = object;
            all.add(o);
            for (String field : new String[] {object.input(), object.cached(), object.cacheHit(), object.cacheMiss(),
                    object.output(), object.reasoning(), object.cost()}) {
                if (field != null) {
                    all.add(field);
                }
            }
            String key = o.substring(o.lastIndexOf('.') + 1);
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        this.paths = JsonPaths.of(all);
        this.quotedKeys = keys.stream().map(RawJson::quoted).toArray(byte[][]::new);
    }

    /** Chat usage for calls to {@code provider}: OpenRouter's reported cost is trusted, nobody else's. */
    public static OpenAiUsage chatFor(String provider) {
        return "openrouter".equals(provider) ? CHAT_WITH_COST : CHAT;
    }

    @Override
    public JsonPaths paths() {
        return paths;
    }

    @Override
    public String model(JsonPicker picker) {
        return Requests.nonEmptyText(picker, modelPath);
    }

    /** The first complete usage object with an input count, or null. */
    @Override
    public Usage read(JsonPicker picker) {
        for (UsageObject o : objects) {
            if (!picker.complete(o.path())) {
                continue;
            }
            Long input = picker.longValue(o.input());
            if (input != null) {
                return usage(picker, o, Math.max(0, input));
            }
        }
        return null;
    }

    /**
     * False when the line cannot carry a non-null usage object: every occurrence of the usage key
     * is followed by {@code null} (OpenAI puts {@code "usage":null} on every chunk but the last).
     */
    @Override
    public boolean mayCarryUsage(byte[] buf, int off, int len) {
        for (byte[] key : quotedKeys) {
            if (RawJson.hasFieldOtherThan(buf, off, len, key, "null")) {
                return true;
            }
        }
        return false;
    }

    private static Usage usage(JsonPicker picker, UsageObject o, long input) {
        if (o.output() == null) {
            return Usage.of(input, 0);
        }
        Long hit = o.cacheHit() == null ? null : picker.longValue(o.cacheHit());
        long cached = hit != null ? Math.max(0, hit) : count(picker, o.cached());
        Long miss = o.cacheMiss() == null ? null : picker.longValue(o.cacheMiss());
        long uncached = miss != null ? Math.max(0, miss) : Math.max(0, input - cached);
        Long reported = o.cost() == null ? null : micros(picker.decimal(o.cost()));
        return new Usage(uncached, cached, 0, 0, count(picker, o.output()), count(picker, o.reasoning()), reported);
    }

    /** {@code usd} in µ$, half-up, exact; null when absent, negative or absurd. */
    static Long micros(BigDecimal usd) {
        if (usd == null || usd.signum() < 0 || usd.compareTo(MAX_REPORTED_USD) > 0) {
            return null;
        }
        if (usd.compareTo(HALF_MICRO_USD) < 0) {
            return 0L;
        }
        return usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static long count(JsonPicker picker, String path) {
        Long v = path == null ? null : picker.longValue(path);
        return v == null ? 0 : Math.max(0, v);
    }

    private static String under(String object, String field) {
        return field == null ? null : object + "." + field;
    }
}
