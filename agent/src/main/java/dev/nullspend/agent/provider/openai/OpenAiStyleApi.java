package dev.nullspend.agent.provider.openai;

import dev.nullspend.agent.exchange.Exchange;
import dev.nullspend.agent.provider.HostOrShapeApi;
import dev.nullspend.agent.provider.JsonBodyParser;
import dev.nullspend.agent.provider.JsonStreamParser;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.Requests;
import dev.nullspend.agent.provider.UsageFormat;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.Vendor;
import dev.nullspend.agent.provider.json.JsonPicker;
import java.util.List;

/**
 * What the OpenAI-style endpoints (Chat Completions, Responses, legacy Completions, Embeddings)
 * share, wherever they are served:
 *
 * <ul>
 *   <li>A POST whose path ends with the endpoint's suffix.</li>
 *   <li>On a known vendor's host (OpenAI, Azure, the OpenAI-compatible vendors, Anthropic's and
 *       Google's OpenAI-compatible endpoints, Ollama, extra hosts) the path is enough and the
 *       call is that vendor's ({@code api.groq.com} gives {@code groq}). On any other host
 *       (gateways, self-hosted servers) the body must have the endpoint's shape, and the call
 *       is {@code openai}'s.</li>
 *   <li>Azure OpenAI (an Azure host, or an {@code /openai/deployments/…} path on any host): the
 *       URL and the body's {@code model} name a deployment, not a model, so the request has no
 *       model and the call is priced by the model the response names (docs/providers/openai.md#azure-openai).</li>
 * </ul>
 */
abstract class OpenAiStyleApi extends HostOrShapeApi {

    private static final String AZURE_DEPLOYMENTS = "/openai/deployments/";

    private final String pathSuffix;

    OpenAiStyleApi(ProviderHosts hosts, String endpoint, String pathSuffix, List<String> outputCaps, String... shapeFields) {
        super(hosts, OpenAiFamily.OPENAI, endpoint, outputCaps, shapeFields);
        this.pathSuffix = pathSuffix;
    }

    @Override
    protected boolean matchesPath(String method, String target, int pathStart, int pathEnd) {
        return Requests.isPostTo(method, target, pathStart, pathEnd, pathSuffix);
    }

    @Override
    protected final boolean isKnownHost(Exchange exchange, Vendor vendor) {
        return vendor != null || isAzure(exchange, vendor);
    }

    /** Azure names a deployment where the model would be: none. */
    @Override
    protected final String model(Exchange exchange, Vendor vendor, JsonPicker body) {
        return isAzure(exchange, vendor) ? null : super.model(exchange, vendor, body);
    }

    /** True when the body has a string {@code model} and {@code field} is a string or an array. */
    static boolean hasModelAndTextOrList(JsonPicker body, String field) {
        JsonPicker.Kind kind = body.kind(field);
        return body.kind(MODEL) == JsonPicker.Kind.STRING
                && (kind == JsonPicker.Kind.STRING || kind == JsonPicker.Kind.ARRAY);
    }

    /** An SSE parser of {@code event} documents for an event stream, else a JSON parser of a {@code body} document. */
    static UsageParser sseOrBody(LlmRequest request, String contentType, UsageFormat event, UsageFormat body) {
        return isEventStream(request, contentType) ? JsonStreamParser.sse(event) : new JsonBodyParser(body);
    }

    private static boolean isAzure(Exchange exchange, Vendor vendor) {
        return vendor == OpenAiFamily.AZURE || exchange.path().contains(AZURE_DEPLOYMENTS);
    }
}
