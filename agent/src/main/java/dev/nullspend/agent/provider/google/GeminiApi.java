package dev.nullspend.agent.provider.google;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.HostOrShapeApi;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.Vendor;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * Gemini {@code generateContent} and {@code streamGenerateContent} (docs/providers/google.md), on the
 * Developer API ({@code generativelanguage.googleapis.com/v1beta/models/{model}:…}) and on Vertex
 * AI ({@code {region}-aiplatform.googleapis.com/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:…}).
 *
 * <ul>
 *   <li>The path must end with {@code :generateContent} or {@code :streamGenerateContent} (the
 *       colon possibly percent-encoded) after a {@code /models/{model}} segment; the model is that
 *       segment. On hosts of no known vendor the body must also have a {@code contents} array.</li>
 *   <li>{@code :streamGenerateContent} streams: server-sent events with {@code alt=sse}, else one
 *       JSON array written element by element; both are read as they pass, the last
 *       {@code usageMetadata} winning.</li>
 *   <li>The output cap for estimates is {@code generationConfig.maxOutputTokens} (or its
 *       snake_case spelling, which the API also accepts).</li>
 * </ul>
 */
public final class GeminiApi extends HostOrShapeApi {

    public static final String GENERATE = "generateContent";
    public static final String STREAM_GENERATE = "streamGenerateContent";

    private static final String MODELS_SEGMENT = "/models/";
    /** What a call path ends with: the method after a colon, which may be percent-encoded. */
    private static final String[] CALL_SUFFIXES = suffixes();
    private static final String CONTENTS = "contents";
    private static final String MAX_OUTPUT_TOKENS = "generationConfig.maxOutputTokens";
    private static final String MAX_OUTPUT_TOKENS_SNAKE = "generation_config.max_output_tokens";

    public GeminiApi(ProviderHosts hosts) {
        super(hosts, GoogleFamily.GOOGLE, GENERATE, List.of(MAX_OUTPUT_TOKENS, MAX_OUTPUT_TOKENS_SNAKE), CONTENTS);
    }

    @Override
    protected boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return Requests.isPost(method) && Call.suffixOf(target, pathStart, pathEnd) >= 0;
    }

    @Override
    protected boolean hasRequestShape(JsonPicker body) {
        return body.kind(CONTENTS) == JsonPicker.Kind.ARRAY;
    }

    /** The model named in the URL; the body has none. */
    @Override
    protected String model(Exchange exchange, Vendor vendor, JsonPicker body) {
        return Call.of(exchange.path()).model();
    }

    @Override
    protected boolean stream(Exchange exchange, JsonPicker body) {
        return Call.of(exchange.path()).stream();
    }

    @Override
    public UsageParser newParser(LlmRequest request, String contentType) {
        if (isEventStream(request, contentType)) {
            return JsonStreamParser.sse(GeminiUsage.FORMAT);
        }
        return request.stream() ? JsonStreamParser.jsonArray(GeminiUsage.FORMAT) : new JsonBodyParser(GeminiUsage.FORMAT);
    }

    private static String[] suffixes() {
        String[] separators = {":", "%3A", "%3a"};
        String[] suffixes = new String[separators.length * 2];
        for (int i = 0; i < separators.length; i++) {
            suffixes[2 * i] = separators[i] + GENERATE;
            suffixes[2 * i + 1] = separators[i] + STREAM_GENERATE;
        }
        return suffixes;
    }

    /** The model and method a request path calls. */
    record Call(String model, boolean stream) {

        /** The call in {@code path} ({@code …/models/{model}:[stream]GenerateContent}), or null when it is none. */
        static Call of(String path) {
            int suffix = suffixOf(path, 0, path.length());
            if (suffix < 0) {
                return null;
            }
            int end = path.length() - CALL_SUFFIXES[suffix].length();
            int start = path.lastIndexOf(MODELS_SEGMENT, end) + MODELS_SEGMENT.length();
            return new Call(path.substring(start, end), CALL_SUFFIXES[suffix].endsWith(STREAM_GENERATE));
        }

        /**
         * The index in {@code CALL_SUFFIXES} of the call the path in {@code target} from {@code from}
         * to {@code to} makes (a {@code /models/{model}} segment, then the suffix), or -1. Allocates nothing.
         */
        static int suffixOf(String target, int from, int to) {
            for (int i = 0; i < CALL_SUFFIXES.length; i++) {
                String suffix = CALL_SUFFIXES[i];
                int end = to - suffix.length();
                if (end >= from && target.regionMatches(end, suffix, 0, suffix.length())) {
                    int start = target.lastIndexOf(MODELS_SEGMENT, end);
                    if (start < from || start + MODELS_SEGMENT.length() >= end) {
                        return -1;
                    }
                    int slash = target.indexOf('/', start + MODELS_SEGMENT.length());
                    return slash >= 0 && slash < end ? -1 : i;
                }
            }
            return -1;
        }
    }
}
